/**
 * Every action_id, callback_id and block_id Gemba puts in Block Kit. Builders and listeners both
 * import from here, so a renamed id cannot silently orphan a button.
 */
export const ActionId = {
  contactEdit: 'contact_edit',
  contactUndo: 'contact_undo',
  contactDelete: 'contact_delete',
  homeLogContact: 'home_log_contact',
} as const;

export const ViewId = {
  contactModal: 'contact_modal',
} as const;

/** Input blocks of the contact modal; their ids are also the keys of inline validation errors. */
export const ContactField = {
  account: 'contact_account',
  buyer: 'contact_buyer',
  kind: 'contact_kind',
  date: 'contact_date',
  duration: 'contact_duration',
  insight: 'contact_insight',
} as const;

/** The single element inside each input block. */
export const INPUT_ACTION = 'value';

/** Slash commands Gemba answers (the manifest lists exactly these). */
export const Command = {
  contact: '/contact',
  trends: '/trends',
} as const;
