import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/config.js';
import { configProblems } from './kit/config.js';

const base = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 'secret' };

describe('config', () => {
  it('has the documented defaults', () => {
    const c = loadConfig(base);
    assert.equal(c.port, 3000);
    assert.equal(c.databasePath, './data/gemba.db');
    assert.equal(c.logLevel, 'info');
    assert.deepEqual(c.adminUserIds, []);
    assert.equal(c.teamTimezone, 'UTC');
    assert.equal(c.weeklyTarget, 3);
    assert.equal(c.nudgeAfterDays, 7);
    assert.equal(c.nudgeHour, 9);
    assert.equal(c.anonymityMinReports, 3);
    assert.equal(c.anonymityCrowd, 5);
    assert.equal(c.flagPublishHour, 18);
    assert.equal(c.schedulerEnabled, true);
    assert.equal(c.slackAppToken, undefined);
  });

  it('reads every variable', () => {
    const c = loadConfig({
      ...base,
      SLACK_APP_TOKEN: 'xapp-1',
      SLACK_API_URL: 'http://127.0.0.1:9999/api/',
      PORT: '8080',
      DATABASE_PATH: '/tmp/x.db',
      LOG_LEVEL: 'debug',
      ADMIN_USER_IDS: 'U1, W2',
      LEADERBOARD_CHANNEL: 'C1',
      DIGEST_CHANNEL: 'G2',
      TEAM_TIMEZONE: 'Europe/Berlin',
      WEEKLY_TARGET: '5',
      NUDGE_AFTER_DAYS: '10',
      NUDGE_HOUR: '8',
      ANONYMITY_MIN_REPORTS: '4',
      ANONYMITY_CROWD: '7',
      FLAG_PUBLISH_HOUR: '17',
      ANONYMITY_KEY: 'a-long-enough-secret-key',
      SCHEDULER_ENABLED: 'false',
    });
    assert.deepEqual([c.anonymityCrowd, c.flagPublishHour], [7, 17]);
    assert.deepEqual(
      [
        c.slackAppToken,
        c.slackApiUrl,
        c.port,
        c.databasePath,
        c.logLevel,
        c.adminUserIds,
        c.leaderboardChannel,
        c.digestChannel,
        c.teamTimezone,
      ],
      ['xapp-1', 'http://127.0.0.1:9999/api/', 8080, '/tmp/x.db', 'debug', ['U1', 'W2'], 'C1', 'G2', 'Europe/Berlin'],
    );
    assert.deepEqual([c.weeklyTarget, c.nudgeAfterDays, c.nudgeHour, c.anonymityMinReports, c.schedulerEnabled], [5, 10, 8, 4, false]);
  });

  it('reports every bad variable, one line each', () => {
    const lines = configProblems({
      SLACK_BOT_TOKEN: 'nope',
      PORT: 'abc',
      LOG_LEVEL: 'loud',
      ADMIN_USER_IDS: 'bob',
      LEADERBOARD_CHANNEL: '#sales',
      TEAM_TIMEZONE: 'Mars/Olympus',
      WEEKLY_TARGET: '0',
      NUDGE_HOUR: '24',
      ANONYMITY_CROWD: '0',
      FLAG_PUBLISH_HOUR: '24',
      SCHEDULER_ENABLED: 'maybe',
      SLACK_API_URL: 'not a url',
    });
    const names = lines.map((l) => l.split(' ')[0]).sort();
    assert.deepEqual(names, [
      'ADMIN_USER_IDS',
      'ANONYMITY_CROWD',
      'FLAG_PUBLISH_HOUR',
      'LEADERBOARD_CHANNEL',
      'LOG_LEVEL',
      'NUDGE_HOUR',
      'PORT',
      'SCHEDULER_ENABLED',
      'SLACK_API_URL',
      'SLACK_BOT_TOKEN',
      'SLACK_SIGNING_SECRET',
      'TEAM_TIMEZONE',
      'WEEKLY_TARGET',
    ]);
  });

  it('DATABASE_URL: refuses one the driver cannot read, on its own line; takes sslmode and a unix socket', () => {
    for (const url of [
      'postgres://gemba:s3cr#t@db.internal:5432/gemba',
      'postgres://gemba@db.internal:port/gemba',
      'postgres://u:a/b@db/gemba',
    ]) {
      const lines = configProblems({ ...base, DATABASE_URL: url });
      assert.equal(lines.length, 1, url);
      assert.match(lines[0], /^DATABASE_URL is not a URL that can be read: .*percent-encoded \(# as %23/, url);
    }
    for (const url of [
      'postgres://gemba:s3cr%23t@db.internal:5432/gemba?sslmode=verify-full',
      'postgresql://gemba@%2Fvar%2Frun%2Fpostgresql/gemba',
      'postgres:///gemba?host=/var/run/postgresql',
    ]) {
      assert.deepEqual(configProblems({ ...base, DATABASE_URL: url }), [], url);
    }
  });

  it('accepts any ANONYMITY_KEY an older setup has (unused, kept so it still starts)', () => {
    for (const key of ['short', 'x', 'a-long-enough-secret-key-0123456789']) {
      assert.deepEqual(configProblems({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', ANONYMITY_KEY: key }), [], key);
    }
  });

  it('needs the signing secret only in HTTP mode', () => {
    assert.deepEqual(
      configProblems({ SLACK_BOT_TOKEN: 'xoxb-1' }).map((l) => l.split(' ')[0]),
      ['SLACK_SIGNING_SECRET'],
    );
    assert.deepEqual(configProblems({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' }), []);
    // The job CLI serves no HTTP: a scheduler may give it only what the jobs use.
    assert.equal(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1' }, { servesHttp: false }).slackSigningSecret, undefined);
  });

  describe('distribution mode', () => {
    const key = Buffer.alloc(32, 1).toString('base64');
    const oauth = {
      SLACK_CLIENT_ID: '1.2',
      SLACK_CLIENT_SECRET: 'cs',
      SLACK_STATE_SECRET: 'a-state-secret-of-16+',
      TOKEN_ENCRYPTION_KEY: key,
    };

    it('switches on with the three OAuth variables and the token key, without a bot token', () => {
      const c = loadConfig({ SLACK_SIGNING_SECRET: 's', ...oauth });
      assert.equal(c.slackBotToken, undefined);
      assert.deepEqual(c.distribution?.tokenKey, Buffer.alloc(32, 1));
      assert.equal(c.distribution?.clientId, '1.2');
      assert.equal(c.uninstallRetentionDays, 30);
      assert.equal(loadConfig({ ...base }).distribution, undefined, 'a bot token alone: single-workspace mode');
      assert.equal(loadConfig({ ...base, UNINSTALL_RETENTION_DAYS: '0' }).uninstallRetentionDays, 0);
    });

    it('takes a state secret of any length (the contract sets none)', () => {
      assert.equal(loadConfig({ SLACK_SIGNING_SECRET: 's', ...oauth, SLACK_STATE_SECRET: 'state' }).distribution?.stateSecret, 'state');
    });

    it('names each missing or bad variable on its own line', () => {
      const lines = configProblems({
        SLACK_SIGNING_SECRET: 's',
        SLACK_CLIENT_ID: '1.2',
        TOKEN_ENCRYPTION_KEY: 'c2hvcnQ=',
        UNINSTALL_RETENTION_DAYS: '-1',
      });
      assert.deepEqual(lines.map((l) => l.split(' ')[0]).sort(), [
        'SLACK_CLIENT_SECRET',
        'SLACK_STATE_SECRET',
        'TOKEN_ENCRYPTION_KEY',
        'UNINSTALL_RETENTION_DAYS',
      ]);
      assert.match(lines.find((l) => l.startsWith('TOKEN_ENCRYPTION_KEY')) ?? '', /32 random bytes in base64/);
      assert.match(lines.find((l) => l.startsWith('SLACK_STATE_SECRET')) ?? '', /required in distribution mode \(SLACK_CLIENT_ID is set\)/);
    });

    it('requires the token key, and refuses a bot token beside the OAuth variables', () => {
      const { TOKEN_ENCRYPTION_KEY: _, ...noKey } = oauth;
      assert.deepEqual(
        configProblems({ SLACK_SIGNING_SECRET: 's', ...noKey }).map((l) => l.split(' ')[0]),
        ['TOKEN_ENCRYPTION_KEY'],
      );
      assert.deepEqual(
        configProblems({ SLACK_SIGNING_SECRET: 's', ...oauth, SLACK_BOT_TOKEN: 'xoxb-1' }).map((l) => l.split(' ')[0]),
        ['SLACK_BOT_TOKEN'],
      );
    });
  });

  it('treats empty values as unset, so a copied .env.example with blanks uses the defaults', () => {
    const c = loadConfig({ ...base, PORT: '', SLACK_APP_TOKEN: '', ANONYMITY_KEY: '', LOG_LEVEL: '' });
    assert.equal(c.port, 3000);
    assert.equal(c.slackAppToken, undefined);
    assert.equal(c.logLevel, 'info');
  });

  it('.env.example documents every variable the schema reads', () => {
    const example = readFileSync(fileURLToPath(new URL('../.env.example', import.meta.url)), 'utf8');
    const documented = [...example.matchAll(/^([A-Z_]+)=/gm)].map((m) => m[1]).sort();
    const source = readFileSync(fileURLToPath(new URL('../src/config.ts', import.meta.url)), 'utf8');
    const read = [...source.matchAll(/^ {2,4}([A-Z_]+): /gm)].map((m) => m[1]).sort();
    assert.deepEqual(documented, read);
  });

  it("the README's configuration table has a row for every variable the schema reads", () => {
    const readme = readFileSync(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8');
    const section = readme.slice(
      readme.indexOf('\n## Configuration\n'),
      readme.indexOf('\n## ', readme.indexOf('\n## Configuration\n') + 1),
    );
    const rows = section.split('\n').filter((l) => l.startsWith('| `'));
    const inTable = new Set(rows.flatMap((r) => [...(r.split(' | ')[0] ?? '').matchAll(/`([A-Z_]+)`/g)].map((m) => m[1])));
    const source = readFileSync(fileURLToPath(new URL('../src/config.ts', import.meta.url)), 'utf8');
    const read = [...source.matchAll(/^ {2,4}([A-Z_]+): /gm)].map((m) => m[1]);
    assert.deepEqual(
      read.filter((v) => !inTable.has(v)),
      [],
    );
  });
});
