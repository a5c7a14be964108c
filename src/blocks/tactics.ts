import { escapeText, truncate } from '../lib/slack-text.js';
import {
  type DigestTactic,
  FLAG_EXAMPLE,
  type FlagResult,
  type ListedTactic,
  TACTIC_LIMITS,
  type TacticDecision,
  type TacticSummary,
} from '../services/tactics.js';
import { actions, type Block, button, context, input, type Message, type ModalView, plain, plural, quote, section } from './common.js';
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

/** Exactly what a flag stores and what it never stores, in plain words (modal, help, confirmations). */
export const STORED_STATEMENT = [
  '*What Gemba stores:* the tactic, your reasons if you give any, and the week (e.g. 2026-W48).',
  '*What it never stores:* your name, your Slack user id, the channel you typed in, or the day and time.',
  'To count you only once per tactic and keep to 5 flags a week, it keeps a scrambled code made from your id and a secret key that is kept outside the database; without that key the code cannot be matched to anyone.',
  'Nothing is posted when you flag, and this reply is only visible to you.',
].join('\n');

const reps = (n: number): string => plural(n, 'rep');

/** "3 reps · in leadership's digest" or "1 rep · needs 2 more for leadership's digest". */
function supportLine(t: TacticSummary, minReports: number): string {
  const missing = minReports - t.reporters;
  const reach = missing <= 0 ? "in leadership's weekly digest" : `needs ${missing} more to reach leadership's weekly digest`;
  return `${reps(t.reporters)} · ${reach}`;
}

/** "Leadership decided: *Retire* (2026-W48)", or '' when undecided. */
export function decisionLine(t: Pick<TacticSummary, 'decision' | 'decidedWeek'>): string {
  if (!t.decision) return '';
  return `${DECISION_EMOJI[t.decision]} Leadership decided: *${DECISION_LABEL[t.decision]}*${t.decidedWeek ? ` (${t.decidedWeek})` : ''}`;
}

const tacticName = (t: TacticSummary): string => `*${escapeText(t.text)}*`;

/** The ephemeral reply to a one-liner flag (or the body of the modal's "done" view). */
export function flagConfirmation(result: Extract<FlagResult, { ok: true }>, minReports: number): Message {
  const t = result.tactic;
  const lead =
    result.status === 'already'
      ? `:raised_hands: You already count behind ${tacticName(t)}, so nothing changed: each rep counts once per tactic, and this did not use one of your weekly flags.`
      : result.status === 'joined'
        ? `:white_check_mark: Flagged anonymously: ${tacticName(t)}. Other reps flagged it too, so your flag joined theirs.`
        : `:white_check_mark: Flagged anonymously: ${tacticName(t)}.`;
  const blocks: Block[] = [
    section(lead),
    context(`${supportLine(t, minReports)}${decisionLine(t) ? ` · ${decisionLine(t)}` : ''}`),
    context(
      `You can flag ${plural(result.flagsLeft, 'more tactic')} this week (${result.week}). See what others flagged with \`/flag-tactic list\`.`,
    ),
    context(STORED_STATEMENT),
  ];
  return {
    response_type: 'ephemeral',
    text: result.status === 'already' ? `You already count behind ${escapeText(t.text)}.` : `Flagged anonymously: ${escapeText(t.text)}`,
    blocks,
  };
}

/** The modal's content once a flag was accepted (replaces the form; nothing is posted anywhere). */
export function flagDoneView(result: Extract<FlagResult, { ok: true }>, minReports: number): ModalView {
  return {
    type: 'modal',
    callback_id: ViewId.flagTacticModal,
    title: plain('Flag a tactic'),
    close: plain('Done'),
    blocks: flagConfirmation(result, minReports).blocks ?? [],
  };
}

/**
 * `/flag-tactic list`: visible tactics, most-supported first, each with an anonymous **Me too**
 * button (value = tactic id) unless the viewer already counts behind it, and leadership's decision.
 */
export function tacticList(tactics: ListedTactic[], p: { minReports: number; note?: string }): Message {
  const blocks: Block[] = [];
  if (p.note) blocks.push(section(p.note));
  if (tactics.length === 0) {
    blocks.push(section(`No tactics have been flagged yet. Flag one anonymously: \`${escapeText(FLAG_EXAMPLE)}\``));
    return { response_type: 'ephemeral', replace_original: true, text: 'No tactics have been flagged yet.', blocks };
  }
  blocks.push(section(`*Tactics reps say no longer work* (${plural(tactics.length, 'tactic')})`));
  blocks.push(
    context(
      `*Me too* is anonymous: it adds one to the count and stores nothing about you. Leadership sees a tactic once ${reps(p.minReports)} agree.`,
    ),
  );
  for (const t of tactics.slice(0, LIST_MAX)) {
    const lines = [`${tacticName(t)}  \`#${t.id}\``, supportLine(t, p.minReports)];
    if (decisionLine(t)) lines.push(decisionLine(t));
    if (t.mine) lines.push(':raised_hands: _you count behind this one_');
    const text = lines.join('\n');
    blocks.push(t.mine ? section(text) : section(text, button('Me too', ActionId.tacticMeToo, String(t.id))));
  }
  if (tactics.length > LIST_MAX) blocks.push(context(`…and ${plural(tactics.length - LIST_MAX, 'less-supported tactic')} not shown.`));
  blocks.push(context(`Flag another: \`${escapeText('/flag-tactic <tactic>: <why>')}\` · \`/flag-tactic help\``));
  return { response_type: 'ephemeral', replace_original: true, text: `${plural(tactics.length, 'flagged tactic')}`, blocks };
}

/** `/flag-tactic help`. */
export function flagTacticHelp(minReports: number): Message {
  const L = TACTIC_LIMITS;
  const text = [
    '*`/flag-tactic` — say, anonymously, which sales tactic no longer works*',
    `\`${escapeText('/flag-tactic <tactic>[: <why>]')}\`, e.g. \`${FLAG_EXAMPLE}\``,
    '• `/flag-tactic` alone opens a form that also asks what buyers want instead',
    '• `/flag-tactic list` shows what reps flagged, with an anonymous *Me too* button',
    `• the tactic: ${L.tacticMin}–${L.tacticMax} characters; the reason: up to ${L.whyMax}; up to ${L.flagsPerWeek} flags per person per week (a *Me too* is not a flag)`,
    '• similar wording counts together: "Cold calling" and "cold-calling!" are one tactic',
    `• leadership sees a tactic in the weekly digest only once ${reps(minReports)} have flagged it or said *Me too*; below that it is only counted`,
    '',
    STORED_STATEMENT,
  ].join('\n');
  return { response_type: 'ephemeral', text: 'How to use /flag-tactic', blocks: [section(text)] };
}

/** The flag modal: tactic, why it no longer works, what buyers want instead, and what is stored. */
export function flagTacticModal(minReports: number): ModalView {
  const L = TACTIC_LIMITS;
  return {
    type: 'modal',
    callback_id: ViewId.flagTacticModal,
    title: plain('Flag a tactic'),
    submit: plain('Flag anonymously'),
    close: plain('Cancel'),
    blocks: [
      section(':shield: *This is anonymous.* Only the words you type below and the week are kept.'),
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
      context(STORED_STATEMENT),
      context(
        `Leadership sees a tactic in the weekly digest only once ${reps(minReports)} have flagged it or said *Me too*. You can flag ${L.flagsPerWeek} tactics a week.`,
      ),
    ],
  };
}

/** The refusal a VP or admin gets for flagging or **Me too** (PRODUCT.md "Leadership decides, reps flag"). */
export const LEADERSHIP_CANNOT_FLAG_PLAIN =
  "VPs and admins can't flag tactics or say Me too: flags are how reps tell leadership, and leadership's part is to decide (Retire, Keep, Pilot) in the digest. Nothing was stored.";
export const LEADERSHIP_CANNOT_FLAG = `:lock: ${LEADERSHIP_CANNOT_FLAG_PLAIN}`;

/** The note above the redrawn list after a **Me too**. */
export function meTooNote(tactic: TacticSummary, status: 'added' | 'already'): string {
  return status === 'added'
    ? `:raised_hands: Added your anonymous *Me too* to ${tacticName(tactic)}. Nothing about you was stored.`
    : `:raised_hands: You already count behind ${tacticName(tactic)}; each rep counts once.`;
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
    const head = `${tacticName(t)}  \`#${t.id}\` · ${reps(t.reporters)} (flagged or said me too, since ${t.createdWeek})`;
    blocks.push(section([head, ...reasons].join('\n')));
    if (t.decision) blocks.push(context(`${decisionLine(t)} · reps see this in \`/flag-tactic list\``));
    const decisions: TacticDecision[] = ['retire', 'keep', 'pilot'];
    blocks.push(
      actions(
        decisions.map((d) => button(DECISION_LABEL[d], DECISION_ACTION[d], String(t.id), t.decision === d ? { style: 'primary' } : {})),
      ),
    );
  }
  if (shown.length > max)
    blocks.push(context(`…and ${plural(shown.length - max, 'more tactic')} past the threshold: see \`/flag-tactic list\`.`));
  if (belowCount > 0) {
    const who = opts.minReports ? `fewer than ${reps(opts.minReports)}` : 'too few reps';
    blocks.push(
      context(
        `${plural(belowCount, 'more tactic was', 'more tactics were')} flagged by ${who}: counted, not shown, so no one can be singled out.`,
      ),
    );
  }
  return blocks;
}
