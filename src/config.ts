import { existsSync } from 'node:fs';
import { z } from 'zod';

/**
 * The only reader of process.env. Every variable of PRODUCT.md's configuration table is here,
 * with its default; `loadConfig` reports every bad variable at once so a misconfigured app
 * stops with a complete list rather than one error per restart.
 */

const isIanaZone = (tz: string): boolean => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

const isLocale = (tag: string): boolean => {
  try {
    return Intl.DateTimeFormat.supportedLocalesOf([tag]).length === 1;
  } catch {
    return false;
  }
};

const intIn = (min: number, max: number, def: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, `must be a whole number from ${min} to ${max}`)
    .default(String(def))
    .transform(Number)
    .refine((n) => n >= min && n <= max, `must be a whole number from ${min} to ${max}`);

const isUrl = (v: string): boolean => {
  try {
    new URL(v);
    return true;
  } catch {
    return false;
  }
};

/** 32 bytes of key material, base64 (AES-256-GCM). */
const isTokenKey = (v: string): boolean => /^[A-Za-z0-9+/]+={0,2}$/.test(v) && Buffer.from(v, 'base64').length === 32;

const optionalString = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v ? v : undefined));

const slackId = (prefix: RegExp, what: string) =>
  optionalString.refine((v) => v === undefined || prefix.test(v), `must be a Slack ${what} id`);

/**
 * The values `.env.example` ships with. Copied unchanged they would pass the format checks and fail
 * later, far from the cause (the app calling Slack with a token that does not exist), so they are
 * refused at start with one line each.
 */
export const EXAMPLE_VALUES: ReadonlyArray<readonly [string, string]> = [
  ['SLACK_BOT_TOKEN', 'xoxb-your-bot-token'],
  ['SLACK_SIGNING_SECRET', 'your-signing-secret'],
];

const envSchema = z.object({
  // Required unless distribution mode; checked below with the OAuth variables.
  SLACK_BOT_TOKEN: optionalString.refine((v) => v === undefined || v.startsWith('xoxb-'), 'must be a bot token starting with xoxb-'),
  SLACK_CLIENT_ID: optionalString,
  SLACK_CLIENT_SECRET: optionalString,
  // Any value: it keys the HMAC that signs the OAuth state (PRODUCT.md sets no length; Slack's own samples use short ones).
  SLACK_STATE_SECRET: optionalString,
  TOKEN_ENCRYPTION_KEY: optionalString.refine(
    (v) => v === undefined || isTokenKey(v),
    'must be 32 random bytes in base64 (generate one with: openssl rand -base64 32)',
  ),
  UNINSTALL_RETENTION_DAYS: intIn(0, 3650, 30),
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_APP_TOKEN: optionalString.refine((v) => v === undefined || v.startsWith('xapp-'), 'must be an app-level token starting with xapp-'),
  SLACK_API_URL: optionalString.refine((v) => {
    if (v === undefined) return true;
    try {
      const u = new URL(v);
      return u.protocol === 'http:' || u.protocol === 'https:';
    } catch {
      return false;
    }
  }, 'must be an http(s) URL such as http://127.0.0.1:9999/api/'),
  PORT: intIn(0, 65535, 3000),
  DATABASE_PATH: z.string().trim().min(1, 'must not be empty').default('./data/gemba.db'),
  DATABASE_URL: z
    .string()
    .trim()
    .regex(/^postgres(ql)?:\/\/\S+$/, 'must be a PostgreSQL URL like postgres://user:password@host:5432/gemba')
    // Parsed as the driver will: a password with `#`, `/` or `?` in it cuts the URL short unless percent-encoded.
    .refine(
      isUrl,
      'is not a URL that can be read: the port must be a number, and # / ? in the user name or password must be percent-encoded (# as %23, / as %2F, ? as %3F)',
    )
    .optional(),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error'], { error: 'must be one of debug, info, warn, error' }).default('info'),
  LOG_FORMAT: z.enum(['auto', 'pretty', 'json'], { error: 'must be one of auto, pretty, json' }).default('auto'),
  ADMIN_USER_IDS: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .refine((ids) => ids.every((id) => /^[UW][A-Z0-9]+$/.test(id)), 'must be comma-separated Slack user ids (U… or W…)'),
  LEADERBOARD_CHANNEL: slackId(/^[CG][A-Z0-9]+$/, 'channel'),
  DIGEST_CHANNEL: slackId(/^[CG][A-Z0-9]+$/, 'channel'),
  TEAM_TIMEZONE: z.string().trim().default('UTC').refine(isIanaZone, 'must be an IANA time zone such as Europe/Berlin'),
  TEAM_LOCALE: z.string().trim().default('en-GB').refine(isLocale, 'must be a BCP 47 locale such as en-GB, en-US or de-DE'),
  WEEKLY_TARGET: intIn(1, 100, 3),
  NUDGE_AFTER_DAYS: intIn(1, 90, 7),
  NUDGE_HOUR: intIn(0, 23, 9),
  ANONYMITY_MIN_REPORTS: intIn(1, 1000, 3),
  ANONYMITY_CROWD: intIn(1, 1000, 5),
  FLAG_PUBLISH_HOUR: intIn(0, 23, 18),
  // Unused since the anonymous store (docs/anonymity.md): whatever value an older setup has is accepted, so it still starts.
  ANONYMITY_KEY: optionalString,
  SANDBOX_PORT: intIn(0, 65535, 3333),
  SCHEDULER_ENABLED: z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .default('true')
    .transform((v) => v === 'true'),
});

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
/** `auto`: human-readable lines when stdout is a terminal, JSON lines otherwise. */
export type LogFormat = 'auto' | 'pretty' | 'json';

/** Distribution mode: OAuth installs to many workspaces, tokens kept encrypted in the database. */
export interface DistributionConfig {
  clientId: string;
  clientSecret: string;
  stateSecret: string;
  /** AES-256-GCM key for tokens at rest. */
  tokenKey: Buffer;
}

export interface Config {
  /** Single-workspace mode's bot token; undefined in distribution mode. */
  slackBotToken: string | undefined;
  /** Set when SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET are: distribution mode. */
  distribution: DistributionConfig | undefined;
  /** Days a workspace's data is kept after it uninstalls Gemba (0: erased at once). */
  uninstallRetentionDays: number;
  slackSigningSecret: string | undefined;
  slackAppToken: string | undefined;
  slackApiUrl: string | undefined;
  port: number;
  databasePath: string;
  /** PostgreSQL instead of the SQLite file, when set. */
  databaseUrl?: string;
  logLevel: LogLevel;
  logFormat: LogFormat;
  adminUserIds: string[];
  leaderboardChannel: string | undefined;
  digestChannel: string | undefined;
  teamTimezone: string;
  /** Locale for dates drawn in charts (week labels): the team's own short day-month format. */
  teamLocale: string;
  weeklyTarget: number;
  nudgeAfterDays: number;
  nudgeHour: number;
  anonymityMinReports: number;
  /** Smallest crowd a flag can be narrowed to (ANONYMITY_CROWD). */
  anonymityCrowd: number;
  /** Team-time hour of the daily publish of flags (FLAG_PUBLISH_HOUR). */
  flagPublishHour: number;
  /** Port of `npm run sandbox` (loopback only); `npm start` never uses it. */
  sandboxPort: number;
  schedulerEnabled: boolean;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Loads `.env` (if present) into the environment. Variables already set win, so a deployment's
 * real environment overrides the file.
 */
export function loadDotEnv(path = '.env'): boolean {
  if (!existsSync(path)) return false;
  process.loadEnvFile(path);
  return true;
}

/**
 * For entry points: loads `.env` and the configuration, or writes every problem to stderr (one
 * line per bad variable, under `heading`) and returns null so the caller can exit non-zero.
 */
export function loadConfigOrReport(heading: string, opts: LoadOptions = {}): Config | null {
  try {
    loadDotEnv();
    return loadConfig(process.env, opts);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${heading}\n${err.problems.map((p) => `  ${p}`).join('\n')}\n`);
    return null;
  }
}

export interface LoadOptions {
  /**
   * False for the job CLI, which runs one job and exits: it receives no Slack request, so it does not
   * need SLACK_SIGNING_SECRET (an external scheduler gives it only what a job uses). Default true.
   */
  servesHttp?: boolean;
}

/** Parses an environment (process.env by default) into a typed Config or throws ConfigError listing every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env, { servesHttp = true }: LoadOptions = {}): Config {
  // Treat empty strings as unset so `FOO=` in a .env file means "use the default".
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const parsed = envSchema.safeParse(cleaned);
  const lines = new Map<string, string>();
  for (const issue of parsed.error?.issues ?? []) {
    const name = String(issue.path[0] ?? 'environment');
    if (!lines.has(name)) lines.set(name, `${name} ${issue.message}`);
  }
  for (const [name, example] of EXAMPLE_VALUES) {
    if (cleaned[name]?.trim() === example) {
      lines.set(name, `${name} still has the example value from .env.example (${example}): put your Slack app's real value in .env`);
    }
  }
  // HTTP mode verifies every request, so it cannot run without the signing secret.
  if (servesHttp && !cleaned.SLACK_APP_TOKEN && !cleaned.SLACK_SIGNING_SECRET && !lines.has('SLACK_SIGNING_SECRET')) {
    lines.set('SLACK_SIGNING_SECRET', 'SLACK_SIGNING_SECRET is required in HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)');
  }
  checkMode(cleaned, lines);
  if (!parsed.success || lines.size > 0) throw new ConfigError([...lines.values()]);
  const e = parsed.data;
  const distribution =
    e.SLACK_CLIENT_ID && e.SLACK_CLIENT_SECRET && e.SLACK_STATE_SECRET && e.TOKEN_ENCRYPTION_KEY
      ? {
          clientId: e.SLACK_CLIENT_ID,
          clientSecret: e.SLACK_CLIENT_SECRET,
          stateSecret: e.SLACK_STATE_SECRET,
          tokenKey: Buffer.from(e.TOKEN_ENCRYPTION_KEY, 'base64'),
        }
      : undefined;
  return {
    slackBotToken: e.SLACK_BOT_TOKEN,
    distribution,
    uninstallRetentionDays: e.UNINSTALL_RETENTION_DAYS,
    slackSigningSecret: e.SLACK_SIGNING_SECRET,
    slackAppToken: e.SLACK_APP_TOKEN,
    slackApiUrl: e.SLACK_API_URL,
    port: e.PORT,
    databasePath: e.DATABASE_PATH,
    databaseUrl: e.DATABASE_URL,
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT,
    adminUserIds: e.ADMIN_USER_IDS,
    leaderboardChannel: e.LEADERBOARD_CHANNEL,
    digestChannel: e.DIGEST_CHANNEL,
    teamTimezone: e.TEAM_TIMEZONE,
    teamLocale: e.TEAM_LOCALE,
    weeklyTarget: e.WEEKLY_TARGET,
    nudgeAfterDays: e.NUDGE_AFTER_DAYS,
    nudgeHour: e.NUDGE_HOUR,
    anonymityMinReports: e.ANONYMITY_MIN_REPORTS,
    anonymityCrowd: e.ANONYMITY_CROWD,
    flagPublishHour: e.FLAG_PUBLISH_HOUR,
    sandboxPort: e.SANDBOX_PORT,
    schedulerEnabled: e.SCHEDULER_ENABLED,
  };
}

const OAUTH_VARIABLES = ['SLACK_CLIENT_ID', 'SLACK_CLIENT_SECRET', 'SLACK_STATE_SECRET'] as const;

/**
 * Single workspace (SLACK_BOT_TOKEN) or distribution (all three OAuth variables, plus the token
 * key): exactly one, complete. Adds one line per missing or conflicting variable.
 */
function checkMode(env: Record<string, string | undefined>, lines: Map<string, string>): void {
  const oauthSet = OAUTH_VARIABLES.filter((v) => env[v] !== undefined);
  const add = (name: string, message: string) => {
    if (!lines.has(name)) lines.set(name, `${name} ${message}`);
  };
  if (oauthSet.length === 0) {
    if (env.SLACK_BOT_TOKEN === undefined) {
      add(
        'SLACK_BOT_TOKEN',
        'is required (the bot token, xoxb-…), unless SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET are set',
      );
    }
    return;
  }
  for (const v of OAUTH_VARIABLES) {
    if (env[v] === undefined)
      add(v, `is required in distribution mode (${oauthSet.join(', ')} ${oauthSet.length === 1 ? 'is' : 'are'} set)`);
  }
  if (env.TOKEN_ENCRYPTION_KEY === undefined) {
    add('TOKEN_ENCRYPTION_KEY', 'is required in distribution mode: 32 random bytes in base64 (openssl rand -base64 32)');
  }
  if (env.SLACK_BOT_TOKEN !== undefined) {
    add('SLACK_BOT_TOKEN', 'must be empty in distribution mode (each workspace gets its own token when it installs Gemba)');
  }
}

/**
 * What `npm run sandbox` reads from the environment: it needs no configuration, so only its port
 * and the log level and format (the sandbox never reads .env, which holds a real workspace's values).
 */
export function sandboxEnv(env: Record<string, string | undefined> = process.env): Record<string, string | undefined> {
  return { SANDBOX_PORT: env.SANDBOX_PORT, LOG_LEVEL: env.LOG_LEVEL, LOG_FORMAT: env.LOG_FORMAT };
}
