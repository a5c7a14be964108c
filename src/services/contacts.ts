import { type Db, eraseCheckpoint } from '../db/open.js';
import type { ContactRow } from '../db/repos/contacts.js';
import type { Repos } from '../db/repos/index.js';
import { weekStart } from '../lib/time.js';
import type { ContactDraft } from './contact-grammar.js';

/** What a manager says happened: the parsed one-liner or the modal's fields. */
export type ContactInput = ContactDraft;

export type ContactChangeResult = { ok: true; contact: ContactRow } | { ok: false; reason: 'not_found' | 'not_owner' };

/** The form used to count distinct accounts: "ACME  corp" and "Acme Corp" are one account. */
export function accountKey(account: string): string {
  return account.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** Logging, editing and removing conversations. */
export function createContactService(db: Db, repos: Repos) {
  const toRow = (teamId: string, userId: string, input: ContactInput, now: number) => ({
    teamId,
    userId,
    account: input.account,
    accountKey: accountKey(input.account),
    buyer: input.buyer,
    kind: input.kind,
    durationMin: input.durationMin,
    occurredOn: input.occurredOn,
    weekStart: weekStart(input.occurredOn),
    insight: input.insight,
    now,
  });

  const ownership = (teamId: string, userId: string, id: number): ContactChangeResult | null => {
    const existing = repos.contacts.findContact(teamId, id);
    if (!existing) return { ok: false, reason: 'not_found' };
    if (existing.userId !== userId) return { ok: false, reason: 'not_owner' };
    return null;
  };

  return {
    /**
     * Records a conversation and enrols its author as a manager, in one transaction, so the
     * caller can acknowledge knowing both are committed.
     */
    logContact(teamId: string, userId: string, input: ContactInput, now: number): { contact: ContactRow; enrolled: boolean } {
      return db
        .transaction(() => {
          const enrolled = repos.managers.enrollManager(teamId, userId, now);
          const id = repos.contacts.insertContact(toRow(teamId, userId, input, now));
          return { contact: repos.contacts.findContact(teamId, id)!, enrolled };
        })
        .immediate();
    },

    /** Rewrites one of the manager's own conversations. */
    editContact(teamId: string, userId: string, id: number, input: ContactInput, now: number): ContactChangeResult {
      return db
        .transaction((): ContactChangeResult => {
          const refused = ownership(teamId, userId, id);
          if (refused) return refused;
          repos.contacts.updateContact({ ...toRow(teamId, userId, input, now), id });
          return { ok: true, contact: repos.contacts.findContact(teamId, id)! };
        })
        .immediate();
    },

    /** Deletes one of the manager's own conversations (Undo and the list's delete button). */
    removeContact(teamId: string, userId: string, id: number): ContactChangeResult {
      const result = db
        .transaction((): ContactChangeResult => {
          const existing = repos.contacts.findContact(teamId, id);
          const refused = ownership(teamId, userId, id);
          if (refused) return refused;
          repos.contacts.deleteContact(teamId, userId, id);
          return { ok: true, contact: existing! };
        })
        .immediate();
      // Deleting is erasing: secure_delete zeroed the row; the checkpoint drops the WAL's old copy.
      if (result.ok) eraseCheckpoint(db);
      return result;
    },

    /** One of the manager's own conversations, for prefilling the Edit modal. */
    findOwnContact(teamId: string, userId: string, id: number): ContactChangeResult {
      const refused = ownership(teamId, userId, id);
      return refused ?? { ok: true, contact: repos.contacts.findContact(teamId, id)! };
    },

    /** The manager's latest conversations, newest first. */
    listRecent(teamId: string, userId: string, limit = 10): ContactRow[] {
      return repos.contacts.listRecentContacts(teamId, userId, limit);
    },
  };
}

export type ContactService = ReturnType<typeof createContactService>;
