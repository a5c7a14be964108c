import type { Db } from '../open.js';

/** Repository for `seen_requests`: signatures of processed Slack requests, until they expire. */
export function createSeenRequestsRepo(db: Db) {
  const prune = db.prepare('DELETE FROM seen_requests WHERE expires_at < ?');
  const insert = db.prepare('INSERT INTO seen_requests (signature_sha256, expires_at) VALUES (?, ?) ON CONFLICT DO NOTHING');
  const claim = (signatureSha256: string, expiresAtSec: number, nowSec: number): boolean => {
    prune.run(nowSec);
    return insert.run(signatureSha256, expiresAtSec).changes === 1;
  };
  const claimAlone = db.transaction(claim);
  return {
    /**
     * Records a signature; false when it was already recorded and has not expired (a replay).
     * Expired rows are dropped first, in the same transaction, so the table stays a few minutes deep.
     * Inside an open transaction (the /contact one-liner's, src/db/repos/contact-log.ts) it is part of that one.
     */
    claimSignature(signatureSha256: string, expiresAtSec: number, nowSec: number): boolean {
      return db.inTransaction ? claim(signatureSha256, expiresAtSec, nowSec) : claimAlone(signatureSha256, expiresAtSec, nowSec);
    },
  };
}
