/**
 * Every action_id, callback_id and block_id Gemba puts in Block Kit. Builders and listeners both
 * import from here, so a renamed id cannot silently orphan a button.
 */
export const ActionId = {
  contactEdit: 'contact_edit',
  contactUndo: 'contact_undo',
  contactDelete: 'contact_delete',
  homeLogContact: 'home_log_contact',
  homeSnooze: 'home_snooze',
  homeResume: 'home_resume',
  nudgeLogContact: 'nudge_log_contact',
  nudgeSnooze: 'nudge_snooze',
  nudgeReasonPto: 'nudge_reason_pto',
  nudgeReasonTravelling: 'nudge_reason_travelling',
  nudgeReasonPipelineReset: 'nudge_reason_pipeline_reset',
  tacticMeToo: 'tactic_me_too',
  tacticRetire: 'tactic_decide_retire',
  tacticKeep: 'tactic_decide_keep',
  tacticPilot: 'tactic_decide_pilot',
  trendsShowChart: 'trends_show_chart',
} as const;

export const ViewId = {
  contactModal: 'contact_modal',
  flagTacticModal: 'flag_tactic_modal',
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

/** Input blocks of the flag-tactic modal; their ids are also the keys of inline validation errors. */
export const TacticField = {
  tactic: 'tactic_text',
  why: 'tactic_why',
  instead: 'tactic_instead',
} as const;

/** The single element inside each input block. */
export const INPUT_ACTION = 'value';

/** Slash commands Gemba answers (the manifest lists exactly these). */
export const Command = {
  contact: '/contact',
  trends: '/trends',
  leaderboard: '/leaderboard',
  gemba: '/gemba',
  flagTactic: '/flag-tactic',
} as const;
