import { createHash } from 'node:crypto';

/**
 * Crowd codes (PRODUCT.md "Crowd, not person"; the reasoning is in docs/anonymity.md).
 *
 * Everyone's *crowd hash* is public: SHA-256 of a fixed label, the team id and the user id, read as
 * bits. No secret is involved, so whoever holds the member list can compute every hash; that is
 * the point: the guarantee must hold against them.
 *
 * The eligible people's hashes are cut into crowds by a prefix tree: start from the empty prefix
 * (everyone) and split a node into its `0` and `1` halves only when both halves keep at least
 * `crowdSize` eligible people. The leaves are the crowd codes. Example with crowdSize 5 and 23
 * people: '' splits into '0' (12) and '1' (11); '0' splits into '00' (5) and '01' (7); '1' would
 * give '10' (4) and '11' (7), so it stays a leaf. Codes: '00', '01', '1', each held by >= 5.
 *
 * A person's code is the leaf their hash starts with; it is the same for every tactic and week,
 * so all their flags point to one crowd and putting them side by side narrows nothing.
 */
export const CROWD_HASH_LABEL = 'gemba-crowd-v1';

/** The public crowd hash of a user, as a string of 256 '0'/'1' characters. */
export function crowdHash(teamId: string, userId: string): string {
  const bytes = createHash('sha256').update(`${CROWD_HASH_LABEL}\u0000${teamId}\u0000${userId}`).digest();
  let bits = '';
  for (const b of bytes) bits += b.toString(2).padStart(8, '0');
  return bits;
}

export interface CrowdLeaf {
  code: string;
  members: number;
}

/**
 * Cuts the eligible hashes into crowds: every returned leaf has at least `crowdSize` members
 * (unless there are fewer people than that in all, then one leaf '' with everyone). The leaves
 * cover the whole hash space, so every user id, eligible or not, falls in exactly one of them.
 */
export function buildCrowdTree(hashes: readonly string[], crowdSize: number): CrowdLeaf[] {
  const leaves: CrowdLeaf[] = [];
  const visit = (prefix: string, members: readonly string[]): void => {
    if (members.length >= 2 * crowdSize && prefix.length < 256) {
      const zero = members.filter((h) => h[prefix.length] === '0');
      const one = members.filter((h) => h[prefix.length] === '1');
      if (zero.length >= crowdSize && one.length >= crowdSize) {
        visit(`${prefix}0`, zero);
        visit(`${prefix}1`, one);
        return;
      }
    }
    leaves.push({ code: prefix, members: members.length });
  };
  visit('', [...new Set(hashes)]);
  return leaves.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}

/** The crowd code of a hash: the leaf it starts with ('' when there is no tree yet). */
export function codeOf(hash: string, leaves: readonly string[]): string {
  let best = '';
  for (const code of leaves) if (hash.startsWith(code) && code.length > best.length) best = code;
  return best;
}

/**
 * How many distinct people a set of codes certainly stands for. Codes stored under an older tree
 * can be a prefix of newer ones (the population grew and a crowd split), and one person may be
 * behind both, so a code that some other code in the set extends is not counted: the count is the
 * number of codes no other code extends. Example: {'0', '01', '1'} counts 2 ('01' and '1').
 */
export function countCrowds(codes: readonly string[]): number {
  const set = [...new Set(codes)];
  return set.filter((c) => !set.some((d) => d !== c && d.startsWith(c))).length;
}

/**
 * When the tree changes, a stored code longer than the leaf it now falls in (the population
 * shrank and two crowds merged) is cut back to that leaf, so no stored code is held by fewer than
 * `crowdSize` people. Shorter codes (crowds that have split since) stay: they are coarser already.
 * Returns the code to store, or the same code when it is fine.
 */
export function coarsen(code: string, leaves: readonly string[]): string {
  for (const leaf of leaves) if (code.startsWith(leaf) && code.length > leaf.length) return leaf;
  return code;
}
