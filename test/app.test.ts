import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import bolt from '@slack/bolt';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createContext } from '../src/context.js';
import { FixedClock } from '../src/lib/clock.js';
import { createLogger } from '../src/lib/logger.js';
import { createSlackClient } from '../src/slack/client.js';
import { openTestStorage } from './kit/storage.js';

const DISTRIBUTION = {
  SLACK_CLIENT_ID: '1.2',
  SLACK_CLIENT_SECRET: 'cs',
  SLACK_STATE_SECRET: 'a-state-secret-of-16+',
  TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 3).toString('base64'),
};

function appFor(env: Record<string, string>, distribution = false) {
  const token = distribution ? DISTRIBUTION : { SLACK_BOT_TOKEN: 'xoxb-1' };
  const config = loadConfig({ ...token, SLACK_API_URL: 'http://127.0.0.1:1/api/', ...env });
  const logger = createLogger('error');
  const storage = openTestStorage();
  const { db } = storage;
  const ctx = createContext({ config, storage, logger, clock: new FixedClock(0), slack: createSlackClient(config, logger) });
  // Building the app must touch no network: deferInitialization keeps auth.test for app.init().
  return { app: createApp(ctx), db };
}

/** Bolt keeps its receiver private; the installer fields are what Bolt's OAuth support sets up. */
function receiverOf(app: ReturnType<typeof appFor>['app']): { installer?: unknown; installPath?: string; installRedirectUriPath?: string } {
  return (app as unknown as { receiver: { installer?: unknown; installPath?: string; installRedirectUriPath?: string } }).receiver;
}

describe('createApp', () => {
  it('uses the HTTP receiver when no app token is set', () => {
    const { app, db } = appFor({ SLACK_SIGNING_SECRET: 's' });
    assert.ok((app as any).receiver instanceof bolt.HTTPReceiver);
    db.close();
  });

  it('in distribution mode, gives the HTTP receiver an OAuth installer whose authorize Bolt uses', () => {
    const { app, db } = appFor({ SLACK_SIGNING_SECRET: 's' }, true);
    const receiver = receiverOf(app);
    assert.ok((receiver as unknown) instanceof bolt.HTTPReceiver);
    assert.ok(receiver.installer, 'Bolt built an installer');
    assert.equal(receiver.installPath, '/slack/install');
    assert.equal(receiver.installRedirectUriPath, '/slack/oauth_redirect');
    db.close();
  });

  it('in distribution mode with Socket Mode, the Socket Mode receiver carries the installer', () => {
    const { app, db } = appFor({ SLACK_APP_TOKEN: 'xapp-1-test' }, true);
    const receiver = receiverOf(app);
    assert.ok((receiver as unknown) instanceof bolt.SocketModeReceiver);
    assert.ok(receiver.installer, 'install pages are served on PORT beside the socket');
    db.close();
  });

  it('uses Socket Mode when SLACK_APP_TOKEN is set', () => {
    const { app, db } = appFor({ SLACK_APP_TOKEN: 'xapp-1-test' });
    assert.ok((app as any).receiver instanceof bolt.SocketModeReceiver);
    db.close();
  });
});
