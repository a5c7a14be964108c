import type { ContactRow } from '../services/contacts.js';
import type { PersonalTrend } from '../services/trends.js';
import { actions, type Block, button, context, divider, type HomeView, header, section, shortDate } from './common.js';
import { contactSummary } from './contact.js';
import { ActionId } from './ids.js';
import { personalTrendBlocks } from './trends.js';

/** The Home tab: week against target, streak, sparkline, last five conversations, actions. */
export function homeView(p: {
  trend: PersonalTrend;
  recent: ContactRow[];
  today: string;
  snoozedUntil?: string | null;
  extra?: Block[];
}): HomeView {
  const snooze = p.snoozedUntil ? button('Resume nudges', ActionId.homeResume) : button('Snooze a week', ActionId.homeSnooze);
  const blocks: Block[] = [
    header('Gemba: time with buyers'),
    ...personalTrendBlocks(p.trend, 'Your buyer conversations'),
    actions([button('Log a conversation', ActionId.homeLogContact, undefined, { style: 'primary' }), snooze]),
    ...(p.snoozedUntil ? [context(`:zzz: Nudges paused through ${shortDate(p.snoozedUntil)}; your streak is frozen meanwhile.`)] : []),
    divider(),
    section('*Your last five conversations*'),
  ];
  if (p.recent.length === 0) blocks.push(context('Nothing logged yet. Try `/contact Acme Corp: wants ROI proof` in any channel.'));
  for (const c of p.recent.slice(0, 5)) blocks.push(section(contactSummary(c, p.today)));
  if (p.extra?.length) blocks.push(divider(), ...p.extra);
  return { type: 'home', blocks: blocks.slice(0, 100) };
}
