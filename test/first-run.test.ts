/**
 * A first run that tells the truth: .env.example's placeholders are refused one line each, log
 * lines are readable on a terminal, and a failing auth.test at start is explained in one line that
 * blames the token only when Slack said so.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { EXAMPLE_VALUES, loadConfig } from '../src/config.js';
import { createLogger, formatPrettyLine, logDestination } from '../src/lib/logger.js';
import { verifySlack } from '../src/slack/verify.js';
import { configProblems } from './kit/config.js';
import { type FakeSlack, startFakeSlack } from './kit/fake-slack.js';
import { freePort } from './kit/net.js';

const exampleEnv = (): Record<string, string> => {
  const text = readFileSync(fileURLToPath(new URL('../.env.example', import.meta.url)), 'utf8');
  return Object.fromEntries([...text.matchAll(/^([A-Z_]+)=(.*)$/gm)].map((m) => [m[1], m[2]]));
};

describe('placeholders from .env.example', () => {
  it('.env.example copied as is is refused with one line per placeholder, and nothing else', () => {
    const lines = configProblems(exampleEnv());
    assert.deepEqual(
      lines.map((l) => l.split(' ')[0]),
      EXAMPLE_VALUES.map(([name]) => name),
    );
    assert.match(lines[0], /^SLACK_BOT_TOKEN still has the example value/);
    assert.match(lines[1], /^SLACK_SIGNING_SECRET still has the example value/);
  });

  it('every placeholder listed is the one .env.example ships', () => {
    const env = exampleEnv();
    for (const [name, value] of EXAMPLE_VALUES) assert.equal(env[name], value, name);
  });

  it('real values pass', () => {
    const c = loadConfig({
      ...exampleEnv(),
      SLACK_BOT_TOKEN: 'xoxb-123-456-abc',
      SLACK_SIGNING_SECRET: '8f14e45fceea167a5a36dedd4bea2543',
    });
    assert.equal(c.slackBotToken, 'xoxb-123-456-abc');
    assert.equal(c.logFormat, 'auto');
    assert.equal(c.sandboxPort, 3333);
  });

  it('LOG_FORMAT and SANDBOX_PORT are checked', () => {
    const lines = configProblems({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', LOG_FORMAT: 'xml', SANDBOX_PORT: '99999' });
    assert.deepEqual(
      lines.map((l) => l.split(' ')[0]),
      ['LOG_FORMAT', 'SANDBOX_PORT'],
    );
  });
});

describe('log format', () => {
  it('pretty: one readable line per entry, fields as key=value, the error message kept', () => {
    const line = JSON.stringify({
      level: 50,
      time: '2026-12-01T09:41:02.123Z',
      app: 'gemba',
      msg: 'post failed',
      job: 'digest',
      err: { type: 'Error', message: 'channel_not_found', stack: 'Error: channel_not_found\n    at x' },
    });
    const text = formatPrettyLine(line);
    assert.equal(text.split('\n')[0], '09:41:02 ERROR post failed (Error: channel_not_found) job=digest');
    assert.match(text, /^ +at x$/m, 'the stack follows, indented');
  });

  it('auto is JSON when stdout is not a terminal, pretty when it is', () => {
    const written: string[] = [];
    const fakeStream = (isTTY: boolean) => ({ isTTY, write: (s: string) => written.push(s) }) as unknown as NodeJS.WriteStream;
    createLogger('info', logDestination('auto', fakeStream(false))).info({ port: 3000 }, 'Gemba is running');
    assert.equal(JSON.parse(written[0]).msg, 'Gemba is running');
    createLogger('info', logDestination('auto', fakeStream(true))).info({ port: 3000 }, 'Gemba is running');
    assert.match(written[1], /INFO.*Gemba is running.*port=3000/);
    createLogger('info', logDestination('pretty', fakeStream(false))).info('plain');
    assert.match(written[2], /^\d\d:\d\d:\d\d INFO {2}plain\n$/, 'no colour codes when not a terminal');
  });
});

describe('auth.test at start', () => {
  let fake: FakeSlack;
  const silent = createLogger('error', { write: () => undefined });
  const config = (apiUrl: string) => loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', SLACK_API_URL: apiUrl });

  before(async () => {
    fake = await startFakeSlack();
  });
  after(async () => {
    await fake.close();
  });

  it('returns the bot identity', async () => {
    assert.deepEqual(await verifySlack(config(fake.apiUrl), 'xoxb-1', silent), { botId: 'BBOT', botUserId: 'UBOT', teamId: 'T0001' });
  });

  it('an unreachable Slack is named with its address and the root cause, not blamed on the token', async () => {
    const url = `http://127.0.0.1:${await freePort()}/api/`;
    await assert.rejects(verifySlack(config(url), 'xoxb-1', silent), (err: Error) => {
      assert.match(
        err.message,
        new RegExp(`^cannot reach Slack at ${url.replaceAll('.', '\\.')}: connect ECONNREFUSED .* — check the network or SLACK_API_URL$`),
      );
      assert.doesNotMatch(err.message, /token/i);
      return true;
    });
  });

  it('invalid_auth blames the token', async () => {
    fake.failNext('auth.test', { error: 'invalid_auth' });
    await assert.rejects(verifySlack(config(fake.apiUrl), 'xoxb-1', silent), /Slack rejected SLACK_BOT_TOKEN \(invalid_auth\)/);
  });

  it('another Slack error is reported as it is', async () => {
    fake.failNext('auth.test', { error: 'team_access_not_granted' });
    await assert.rejects(verifySlack(config(fake.apiUrl), 'xoxb-1', silent), (err: Error) => {
      assert.match(err.message, /answered auth\.test .* with "team_access_not_granted"/);
      assert.doesNotMatch(err.message, /rejected SLACK_BOT_TOKEN/);
      return true;
    });
  });

  it('an HTTP error points at SLACK_API_URL', async () => {
    fake.failNext('auth.test', { status: 404, times: 3 });
    await assert.rejects(verifySlack(config(fake.apiUrl), 'xoxb-1', silent), /answered HTTP 404 to auth\.test — check SLACK_API_URL/);
  });
});
