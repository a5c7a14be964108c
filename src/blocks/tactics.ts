import { escapeText, truncate } from '../lib/slack-text.js';
import { isoWeekMonday } from '../lib/time.js';
import {
  type CrowdStatus,
  type DigestTactic,
  FLAG_EXAMPLE,
  type ListedTactic,
  type PublishAt,
  type Recorded,
  TACTIC_DECISIONS,
  TACTIC_LIMITS,
  type TacticDecision,
  type TacticSummary,
} from '../services/tactics.js';
import {
  actions,
  type Block,
  button,
  context,
  input,
  type Message,
  type ModalView,
  plain,
  plural,
  quote,
  section,
  shortDate,
} from './common.js';
import { ActionId, TacticField, ViewId } from './ids.js';

export const DECISION_LABEL: Record<TacticDecision, string> = {
  retire: 'Retire',
  keep: 'Keep',
  pilot: 'Pilot an alternative',
};

const DECISION_EMOJI: Record<TacticDecision, string> = {
  retire: ':wastebasket:',
  keep: ':ok_hand:',
  pilot: ':test_tube:',
};

/** The button action_id for each decision. */
export const DECISION_ACTION: Record<TacticDecision, string> = {
  retire: ActionId.tacticRetire,
  keep: ActionId.tacticKeep,
  pilot: ActionId.tacticPilot,
};

/** How many tactics `/flag-tactic list` shows (a message holds at most 50 blocks). */
export const LIST_MAX = 40;

/**
 * Exactly what a flag stores, what whoever runs Gemba can and cannot learn from it, and what is out
 * of scope, in plain words (modal, help, confirmations). docs/anonymity.md says the same at length.
 */
export function storedStatement(crowdSize: number): string {
  return [
    `*What Gemba stores:* the tactic, your reasons if you give any, the day it is published, and a *crowd code* shared by at least ${people(crowdSize)} who may flag. The code is the same for all your flags, so your crowd counts once per tactic. No name, no Slack id, no channel, no time.`,
    crowdSize > 1
      ? `*What the people who run Gemba cannot learn,* even with its database, backups, logs, settings, keys and the member list: which of the ${crowdSize} or more people in your crowd you are, or when in the day you flagged. Flags appear all at once at the daily publish, in no order.`
      : "*Crowds of 1 here:* this workspace runs with `ANONYMITY_CROWD=1` (the sandbox does, to show flags with a few reps), so a crowd can be one person and a flag may point to you. Gemba's default is crowds of 5. What still holds: nobody can learn when in the day you flagged; flags appear all at once at the daily publish, in no order.",
    "*What they can learn:* that someone in your crowd flagged a tactic, and your words: if only you would say it that way, people may guess. Someone who changes Gemba's code or watches the server while it runs is beyond what this protects against.",
  ].join('\n');
}

/** "5 people", "1 person". */
const people = (n: number): string => plural(n, 'person', 'people');

/** An ISO week key as people read it: '2026-W48' → "the week of Mon 23 Nov" (the key itself if it is not one). */
const weekLabel = (key: string): string => {
  const monday = isoWeekMonday(key);
  return monday ? `the week of ${shortDate(monday)}` : key;
};

/** The weekly flag allowance, said the same way everywhere: per person, kept for the crowd as a whole. */
export const allowanceText = (): string =>
  `Each person may flag ${TACTIC_LIMITS.flagsPerWeek} tactics a week (counted only in the running app's memory, never stored; what is stored is your crowd's shared allowance); a *Me too* is not a flag.`;

/** "at least 3 reps": a count of crowds is a lower bound on people. */
const reps = (n: number): string => `at least ${plural(n, 'rep')}`;

/** "18:00 today (Europe/Berlin)". */
export function publishText(p: PublishAt): string {
  return `${String(p.hour).padStart(2, '0')}:00 ${p.today ? 'today' : 'tomorrow'} (${p.timezone})`;
}

/**
 * Why no tactic can reach the digest in a small workspace, or '' when one can
 * (PRODUCT.md: fewer eligible people than ANONYMITY_CROWD × ANONYMITY_MIN_REPORTS).
 */
export function cannotShowText(c: CrowdStatus): string {
  if (c.canShow) return '';
  const who = c.source === 'group' ? 'the reps group has' : 'this workspace has';
  const known =
    c.source === 'unknown'
      ? 'Gemba has not read the member list yet.'
      : `${who} ${plural(c.eligible, 'eligible person', 'eligible people')}, which make ${plural(c.crowds, 'crowd')}.`;
  return `:warning: Flags can't be shown to leadership yet: Gemba counts reps in crowds of at least ${people(c.crowdSize)}, so nobody can be singled out, and a tactic needs ${plural(c.minReports, 'crowd')} behind it; ${known} Flags are kept and counted, and appear once there are enough people.`;
}

/** "3 reps · in leadership's digest" or "1 rep · needs 2 more for leadership's digest". */
function supportLine(t: TacticSummary, minReports: number): string {
  const missing = minReports - t.reporters;
  const reach =
    missing <= 0
      ? "in leadership's weekly digest"
      : `needs ${missing} more crowd${missing === 1 ? '' : 's'} to reach leadership's weekly digest`;
  return `${reps(t.reporters)} · ${reach}`;
}

/** Tactics at the threshold first, most-supported first; then those below it by number (random ids, no order of support). */
function leadershipOrder(tactics: ListedTactic[], minReports: number): ListedTactic[] {
  const counted = tactics.filter((t) => t.reporters >= minReports);
  const below = tactics.filter((t) => t.reporters < minReports).sort((a, b) => a.id - b.id);
  return [...counted, ...below];
}

/** What leadership reads of a tactic's support: the count from the threshold, below it only that it is below. */
function leadershipSupportLine(t: TacticSummary, minReports: number): string {
  return t.reporters >= minReports
    ? `${reps(t.reporters)} · in the weekly digest`
    : `fewer than ${plural(minReports, 'crowd')} so far: not counted for leadership yet`;
}

/** "Leadership decided: *Retire* (2026-W48)", or '' when undecided. */
export function decisionLine(t: Pick<TacticSummary, 'decision' | 'decidedWeek'>): string {
  if (!t.decision) return '';
  return `${DECISION_EMOJI[t.decision]} Leadership decided: *${DECISION_LABEL[t.decision]}*${t.decidedWeek ? ` (${weekLabel(t.decidedWeek)})` : ''}`;
}

const tacticName = (t: Pick<TacticSummary, 'text'>): string => `*${escapeText(t.text)}*`;

/**
 * The ephemeral reply to a flag (or the body of the modal's "done" view). The same words whether
 * the tactic was new, flagged by others already, or already counted for the rep's crowd.
 */
export function flagConfirmation(result: Recorded, minReports: number): Message {
  const lead = `:white_check_mark: Recorded anonymously: ${tacticName(result)}. It appears in \`/flag-tactic list\` at ${publishText(result.publish)}, together with everything else recorded before then, in no particular order.`;
  const blocks: Block[] = [
    section(lead),
    context(
      `Your crowd counts once per tactic, however many of its people flag it or say *Me too*. Leadership sees a tactic once ${plural(minReports, 'crowd')} stand behind it. ${allowanceText()}`,
    ),
  ];
  const warning = cannotShowText(result.crowds);
  if (warning) blocks.push(section(warning));
  blocks.push(context(storedStatement(result.crowds.crowdSize)));
  return { response_type: 'ephemeral', text: `Recorded anonymously: ${escapeText(result.text)}`, blocks };
}

/** The modal's content once a flag was accepted (replaces the form; nothing is posted anywhere). */
export function flagDoneView(result: Recorded, minReports: number): ModalView {
  return {
    type: 'modal',
    callback_id: ViewId.flagTacticModal,
    title: plain('Flag a tactic'),
    close: plain('Done'),
    blocks: flagConfirmation(result, minReports).blocks ?? [],
  };
}

/** Who reads a tactic list: a rep (counts, **Me too**) or leadership (counts only from the threshold, no **Me too**). */
export type TacticListViewer = 'rep' | 'leadership';

/**
 * `/flag-tactic list`: published tactics, most-supported first, each with leadership's decision. A rep
 * sees every count and an anonymous **Me too** button (value = tactic id). Leadership (VPs, admins)
 * sees a count only once it reaches ANONYMITY_MIN_REPORTS (PRODUCT.md "Counted by crowd"); below it,
 * just that it is below, so an admin can still find and hide an abusive flag by its number. It never
 * says whether the viewer's crowd is behind one: that would show live what a crowd-mate did.
 */
export function tacticList(
  tactics: ListedTactic[],
  p: { minReports: number; crowdSize: number; note?: string; viewer?: TacticListViewer },
): Message {
  const leadership = p.viewer === 'leadership';
  const blocks: Block[] = [];
  if (p.note) blocks.push(section(p.note));
  if (tactics.length === 0) {
    const invite = leadership ? '' : ` Flag one anonymously: \`${escapeText(FLAG_EXAMPLE)}\``;
    blocks.push(section(`No tactics have been published yet (flags appear once a day, at the daily publish).${invite}`));
    return { response_type: 'ephemeral', replace_original: true, text: 'No tactics have been published yet.', blocks };
  }
  blocks.push(section(`*Tactics reps say no longer work* (${plural(tactics.length, 'tactic')})`));
  blocks.push(
    context(
      leadership
        ? `Counts are crowds of at least ${people(p.crowdSize)}, so "at least 3 reps" means 3 crowds. Leadership sees a tactic's count once ${plural(p.minReports, 'crowd')} agree; it reaches the weekly digest then.`
        : `Counts are crowds of at least ${people(p.crowdSize)}, so "at least 3 reps" means 3 crowds. *Me too* is anonymous and counts your crowd once, from the next daily publish. Leadership sees a tactic once ${plural(p.minReports, 'crowd')} agree.`,
    ),
  );
  // Leadership: below the threshold, not even the order may hint at a count (or at a crowd joining since yesterday).
  const shown = leadership ? leadershipOrder(tactics, p.minReports) : tactics;
  for (const t of shown.slice(0, LIST_MAX)) {
    const support = leadership ? leadershipSupportLine(t, p.minReports) : supportLine(t, p.minReports);
    const lines = [`${tacticName(t)}  \`#${t.id}\``, support];
    if (decisionLine(t)) lines.push(decisionLine(t));
    blocks.push(leadership ? section(lines.join('\n')) : section(lines.join('\n'), button('Me too', ActionId.tacticMeToo, String(t.id))));
  }
  if (tactics.length > LIST_MAX) {
    const more = plural(tactics.length - LIST_MAX, leadership ? 'more tactic' : 'less-supported tactic');
    blocks.push(context(`…and ${more} not shown.`));
  }
  blocks.push(
    context(
      leadership
        ? `Admins hide an abusive flag by its number: \`${escapeText('/gemba admin tactics hide <number>')}\` · \`/flag-tactic help\``
        : `Flag another: \`${escapeText('/flag-tactic <tactic>: <why>')}\` · \`/flag-tactic help\``,
    ),
  );
  return { response_type: 'ephemeral', replace_original: true, text: `${plural(tactics.length, 'flagged tactic')}`, blocks };
}

/** `/flag-tactic help`. */
export function flagTacticHelp(minReports: number, crowdSize: number): Message {
  const L = TACTIC_LIMITS;
  const text = [
    '*`/flag-tactic` — say, anonymously, which sales tactic no longer works*',
    `\`${escapeText('/flag-tactic <tactic>[: <why>]')}\`, e.g. \`${FLAG_EXAMPLE}\``,
    '• `/flag-tactic` alone opens a form that also asks what buyers want instead',
    '• `/flag-tactic list` shows what reps flagged, with an anonymous *Me too* button',
    `• the tactic: ${L.tacticMin}–${L.tacticMax} characters; the reason: up to ${L.whyMax}; ${L.flagsPerWeek} flags a week per person (counted in memory only; what is stored is the crowd's shared allowance; a *Me too* is not a flag)`,
    '• flags and *Me too* answers appear once a day, at the daily publish, all together',
    '• similar wording counts together: "Cold calling" and "cold-calling!" are one tactic',
    `• leadership sees a tactic in the weekly digest only once ${plural(minReports, 'crowd')} of at least ${people(crowdSize)} have flagged it or said *Me too*; below that it is only counted`,
    '',
    storedStatement(crowdSize),
  ].join('\n');
  return { response_type: 'ephemeral', text: 'How to use /flag-tactic', blocks: [section(text)] };
}

/** The flag modal: tactic, why it no longer works, what buyers want instead, and what is stored. */
export function flagTacticModal(minReports: number, crowdSize: number): ModalView {
  const L = TACTIC_LIMITS;
  return {
    type: 'modal',
    callback_id: ViewId.flagTacticModal,
    title: plain('Flag a tactic'),
    submit: plain('Flag anonymously'),
    close: plain('Cancel'),
    blocks: [
      section(
        `:shield: *This is anonymous.* The words you type below are kept with the publish day and a code your crowd of at least ${crowdSize} shares.`,
      ),
      input(
        TacticField.tactic,
        'Which tactic no longer works?',
        { type: 'plain_text_input', min_length: L.tacticMin, max_length: L.tacticMax, placeholder: plain('e.g. cold calling') },
        { hint: `${L.tacticMin}–${L.tacticMax} characters. Similar wording counts together.` },
      ),
      input(
        TacticField.why,
        'Why does it no longer work?',
        { type: 'plain_text_input', multiline: true, max_length: L.whyMax, placeholder: plain('e.g. buyers ignore unknown numbers') },
        { optional: true },
      ),
      input(
        TacticField.instead,
        'What do buyers want instead?',
        {
          type: 'plain_text_input',
          multiline: true,
          max_length: L.insteadMax,
          placeholder: plain('e.g. a short video they can watch in their own time'),
        },
        { optional: true },
      ),
      context(storedStatement(crowdSize)),
      context(
        `Leadership sees a tactic in the weekly digest only once ${plural(minReports, 'crowd')} have flagged it or said *Me too*. ${allowanceText()}`,
      ),
    ],
  };
}

/** The refusal a VP or admin gets for flagging or **Me too** (PRODUCT.md "Leadership decides, reps flag"). */
export const LEADERSHIP_CANNOT_FLAG_PLAIN =
  "VPs and admins can't flag tactics or say Me too: flags are how reps tell leadership, and leadership's part is to decide (Retire, Keep, Pilot) in the digest. Nothing was stored.";
export const LEADERSHIP_CANNOT_FLAG = `:lock: ${LEADERSHIP_CANNOT_FLAG_PLAIN}`;

/** Why a flag was refused for the weekly limit: the person's own 5, or their crowd's shared allowance. Nothing was stored. */
export function flagLimitText(scope: 'person' | 'crowd', limit: number): string {
  return scope === 'person'
    ? `You have flagged ${limit} tactics this week, the most one person can. Nothing was stored.`
    : `Your crowd has used this week's flags (${limit} a week per person in it, kept for the crowd as a whole, so that nothing stored counts you). Nothing was stored.`;
}

/** The answer to someone outside the reps group an admin set (`/gemba admin reps sync`). Nothing is stored. */
export const NOT_IN_REPS_GROUP_PLAIN =
  'Flagging is for the members of the reps user group an admin chose, and you are not in it, so nothing was stored. If you should be, ask an admin to add you to that group.';
export const NOT_IN_REPS_GROUP = `:lock: ${NOT_IN_REPS_GROUP_PLAIN}`;

/** The note above the redrawn list after a **Me too** (the same words whether or not the crowd was counted already). */
export function meTooNote(result: Recorded): string {
  return `:raised_hands: Your anonymous *Me too* for ${tacticName(result)} is recorded. It counts your crowd once, from the publish at ${publishText(result.publish)}.`;
}

/** The ephemeral reply to a VP's decision button. */
export function decisionRecorded(tactic: TacticSummary, changed: boolean): Message {
  const label = tactic.decision ? DECISION_LABEL[tactic.decision] : '';
  const text = changed
    ? `:white_check_mark: Recorded *${label}* for ${tacticName(tactic)}. Reps now see it beside the tactic in \`/flag-tactic list\`.`
    : `${tacticName(tactic)} is already marked *${label}*.`;
  return { response_type: 'ephemeral', replace_original: false, text: `${label}: ${escapeText(tactic.text)}`, blocks: [section(text)] };
}

/** One quoted reason line set for the digest: why, and what buyers want instead. */
function reasonText(r: DigestTactic['reasons'][number]): string {
  const parts: string[] = [];
  if (r.why) parts.push(quote(r.why, 300));
  if (r.instead) parts.push(`> _Instead:_ ${truncate(escapeText(r.instead), 300).replace(/\n/g, '\n> ')}`);
  return parts.join('\n');
}

/**
 * The digest's tactics section (the digest job includes these blocks): each tactic that met the
 * anonymity threshold with its count, a sample of reasons and **Retire** / **Keep** / **Pilot an
 * alternative** buttons (value = tactic id); tactics below the threshold are only counted.
 */
export function tacticDigestBlocks(shown: DigestTactic[], belowCount: number, opts: { minReports?: number; max?: number } = {}): Block[] {
  const max = opts.max ?? 5;
  const blocks: Block[] = [section('*Tactics reps say no longer work*')];
  if (shown.length === 0) {
    blocks.push(
      context(belowCount === 0 ? 'No tactics have been flagged yet.' : 'No flagged tactic has reached the anonymity threshold yet.'),
    );
  }
  for (const t of shown.slice(0, max)) {
    const reasons = t.reasons.map(reasonText).filter(Boolean);
    const head = `${tacticName(t)}  \`#${t.id}\` · ${reps(t.reporters)} (${plural(t.reporters, 'crowd')} flagged it or said me too, since ${weekLabel(t.createdWeek)})`;
    blocks.push(section([head, ...reasons].join('\n')));
    if (t.decision) blocks.push(context(`${decisionLine(t)} · reps see this in \`/flag-tactic list\``));
    blocks.push(
      actions(
        TACTIC_DECISIONS.map((d) =>
          button(DECISION_LABEL[d], DECISION_ACTION[d], String(t.id), t.decision === d ? { style: 'primary' } : {}),
        ),
      ),
    );
  }
  if (shown.length > max)
    blocks.push(context(`…and ${plural(shown.length - max, 'more tactic')} past the threshold: see \`/flag-tactic list\`.`));
  if (belowCount > 0) {
    const who = opts.minReports ? `fewer than ${plural(opts.minReports, 'crowd')} of reps` : 'too few reps';
    blocks.push(
      context(
        `${plural(belowCount, 'more tactic was', 'more tactics were')} flagged by ${who}: counted, not shown, so no one can be singled out.`,
      ),
    );
  }
  return blocks;
}
