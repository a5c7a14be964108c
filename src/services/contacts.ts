import type { ContactRow } from '../db/repos/contacts.js';
import type { Repos } from '../db/repos/index.js';
import type { Storage } from '../db/storage.js';
import { present } from '../lib/errors.js';
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
export function createContactService(storage: Storage) {
  const { repos } = storage;
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

  const ownership = async (r: Repos, teamId: string, userId: string, id: number): Promise<ContactChangeResult | null> => {
    const existing = await r.contacts.findContact(teamId, id);
    if (!existing) return { ok: false, reason: 'not_found' };
    if (existing.userId !== userId) return { ok: false, reason: 'not_owner' };
    return null;
  };

  return {
    /**
     * Records a conversation and enrols its author as a manager, in one transaction, so the
     * caller can acknowledge knowing both are committed.
     */
    logContact(teamId: string, userId: string, input: ContactInput, now: number): Promise<{ contact: ContactRow; enrolled: boolean }> {
      return storage.transaction(async (tx) => {
        const enrolled = await tx.managers.enrollManager(teamId, userId, now);
        const id = await tx.contacts.insertContact(toRow(teamId, userId, input, now));
        return { contact: present(await tx.contacts.findContact(teamId, id), 'the conversation just stored'), enrolled };
      });
    },

    /** Rewrites one of the manager's own conversations. */
    editContact(teamId: string, userId: string, id: number, input: ContactInput, now: number): Promise<ContactChangeResult> {
      return storage.transaction(async (tx): Promise<ContactChangeResult> => {
        const refused = await ownership(tx, teamId, userId, id);
        if (refused) return refused;
        await tx.contacts.updateContact({ ...toRow(teamId, userId, input, now), id });
        return { ok: true, contact: present(await tx.contacts.findContact(teamId, id), 'the conversation just edited') };
      });
    },

    /** Deletes one of the manager's own conversations (Undo and the list's delete button). */
    async removeContact(teamId: string, userId: string, id: number): Promise<ContactChangeResult> {
      const result = await storage.transaction(async (tx): Promise<ContactChangeResult> => {
        const existing = await tx.contacts.findContact(teamId, id);
        if (!existing) return { ok: false, reason: 'not_found' };
        if (existing.userId !== userId) return { ok: false, reason: 'not_owner' };
        await tx.contacts.deleteContact(teamId, userId, id);
        return { ok: true, contact: existing };
      });
      // Deleting is erasing: secure_delete zeroed the row; the checkpoint drops the WAL's old copy.
      if (result.ok) await storage.eraseCheckpoint();
      return result;
    },

    /** One of the manager's own conversations, for prefilling the Edit modal. */
    async findOwnContact(teamId: string, userId: string, id: number): Promise<ContactChangeResult> {
      const existing = await repos.contacts.findContact(teamId, id);
      if (!existing) return { ok: false, reason: 'not_found' };
      if (existing.userId !== userId) return { ok: false, reason: 'not_owner' };
      return { ok: true, contact: existing };
    },

    /** The manager's latest conversations, newest first. */
    listRecent(teamId: string, userId: string, limit = 10): Promise<ContactRow[]> {
      return repos.contacts.listRecentContacts(teamId, userId, limit);
    },
  };
}

export type ContactService = ReturnType<typeof createContactService>;

export type { ContactRow } from '../db/repos/contacts.js';
