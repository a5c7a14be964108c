/**
 * The sandbox's demo workspace: people, channels and the material their history is made of. Pure
 * data; src/sandbox/seed.ts turns it into weeks of history through the real slash commands.
 */

export type Role = 'manager' | 'vp' | 'rep' | 'admin';

export interface DemoPerson {
  id: string;
  name: string;
  title: string;
  role: Role;
  /** Managers: conversations in a typical week, and how many weeks ago they went quiet (0 = still active). */
  perWeek?: number;
  quietForWeeks?: number;
}

export const TEAM_ID = 'T0SANDBOX';
export const TEAM_TIMEZONE = 'America/New_York';
export const LEADERBOARD_CHANNEL = { id: 'C0SALESLB', name: 'sales-leaderboard' };
export const DIGEST_CHANNEL = { id: 'C0SALESVP', name: 'sales-leadership' };
export const CHANNELS = [LEADERBOARD_CHANNEL, DIGEST_CHANNEL];

const manager = (id: string, name: string, perWeek: number, quietForWeeks = 0): DemoPerson => ({
  id,
  name,
  title: 'Sales manager',
  role: 'manager',
  perWeek,
  quietForWeeks,
});

export const PEOPLE: DemoPerson[] = [
  manager('UMGR01', 'Dana Lee', 4),
  manager('UMGR02', 'Priya Raman', 5),
  manager('UMGR03', 'Tom Becker', 3),
  manager('UMGR04', 'Lucia Ortiz', 4),
  manager('UMGR05', 'Kenji Watanabe', 2),
  manager('UMGR06', 'Grace Okafor', 3),
  manager('UMGR07', 'Ben Carter', 2, 2),
  manager('UMGR08', 'Sofia Rossi', 3),
  manager('UMGR09', 'Marcus Hill', 1),
  manager('UMGR10', 'Aisha Khan', 4),
  manager('UMGR11', 'Olivier Martin', 2, 3),
  manager('UMGR12', 'Hannah Weiss', 3),
  { id: 'UVP001', name: 'Maria Santos', title: 'VP Sales', role: 'vp' },
  { id: 'UADM01', name: 'Alex Kim', title: 'Sales ops (Gemba admin)', role: 'admin' },
  { id: 'UREP01', name: 'Jordan Blake', title: 'Account executive', role: 'rep' },
  { id: 'UREP02', name: 'Sam Patel', title: 'Account executive', role: 'rep' },
  { id: 'UREP03', name: 'Riley Chen', title: 'SDR', role: 'rep' },
  { id: 'UREP04', name: 'Morgan Diaz', title: 'SDR', role: 'rep' },
  { id: 'UREP05', name: 'Casey Nguyen', title: 'Account executive', role: 'rep' },
  { id: 'UREP06', name: 'Jamie Fox', title: 'SDR', role: 'rep' },
];

export const personById = (id: string): DemoPerson | undefined => PEOPLE.find((p) => p.id === id);

/** The Slack username of a demo person, as Slack makes them from a name: 'Ben Carter' → 'ben.carter'. */
export const usernameOf = (p: DemoPerson): string => p.name.toLowerCase().replace(/\s+/g, '.');

/** The workspace's user groups: what `@sales-reps` and `@sales-managers` mention. */
export const USERGROUPS = [
  { id: 'S0REPS', handle: 'sales-reps', name: 'Sales reps', members: PEOPLE.filter((p) => p.role === 'rep').map((p) => p.id) },
  { id: 'S0MGRS', handle: 'sales-managers', name: 'Sales managers', members: PEOPLE.filter((p) => p.role === 'manager').map((p) => p.id) },
];

export const ACCOUNTS = [
  'Acme Corp',
  'Initech',
  'Globex',
  'Umbrella Health',
  'Stark Logistics',
  'Wayne Foods',
  'Hooli',
  'Vandelay Imports',
  'Soylent Labs',
  'Cyberdyne Systems',
  'Tyrell Manufacturing',
  'Wonka Retail',
  'Massive Dynamic',
  'Pied Piper',
  'Oscorp Energy',
  'Nakatomi Trading',
];

export const BUYERS = [
  'Dana Whitfield (CFO)',
  'Raj Patel (VP Ops)',
  'Elena Novak (Head of IT)',
  'Chris Moore (COO)',
  'Fatima Zahra (Procurement)',
  'Leo Grant (CEO)',
  'Nina Berg (Finance director)',
  'Omar Said (CTO)',
];

export const KINDS = ['call', 'video', 'meeting', 'visit', 'video', 'call'];

export const INSIGHTS = [
  'wants ROI proof before the renewal',
  'comparing us with two vendors on total cost, not licence price',
  'board froze new tools until Q2; a pilot could still fit',
  'needs SSO and an audit trail before security signs off',
  'our onboarding took too long last time; asked for a named contact',
  'would pay more for a shorter contract',
  'reads peer reviews before taking any call',
  'the champion left; new VP wants a fresh business case',
  'happy with support, unhappy with reporting',
  'asked for a reference customer in their industry',
  'budget moved from IT to operations',
  'prefers a short video walkthrough to a long demo',
];

/** Tactic flags the reps have made (some shared, so they pass the anonymity threshold). */
export const FLAGS: Array<{ rep: string; text: string }> = [
  { rep: 'UREP01', text: 'cold calling: buyers ignore unknown numbers' },
  { rep: 'UREP02', text: 'Cold calling' },
  { rep: 'UREP03', text: 'cold-calling!' },
  { rep: 'UREP04', text: 'paid ad bursts: leads from them never reply' },
  { rep: 'UREP05', text: 'paid ad bursts' },
  { rep: 'UREP06', text: 'zoom everything: buyers want a short call or a visit' },
  { rep: 'UREP02', text: 'zoom everything' },
  { rep: 'UREP05', text: 'zoom everything' },
];

export const ADMIN_ID = 'UADM01';
export const VP_ID = 'UVP001';
