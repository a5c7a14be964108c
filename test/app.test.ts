import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import bolt from '@slack/bolt';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createContext } from '../src/context.js';
import { migrate } from '../src/db/migrate.js';
import { openDatabase } from '../src/db/open.js';
import { FixedClock } from '../src/lib/clock.js';
import { createLogger } from '../src/lib/logger.js';
import { createSlackClient } from '../src/slack/client.js';

function appFor(env: Record<string, string>) {
  const config = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_API_URL: 'http://127.0.0.1:1/api/', ...env });
  const logger = createLogger('error');
  const db = openDatabase(':memory:');
  migrate(db);
  const ctx = createContext({ config, db, logger, clock: new FixedClock(0), slack: createSlackClient(config, logger) });
  // Building the app must touch no network: deferInitialization keeps auth.test for app.init().
  return { app: createApp(ctx), db };
}

describe('createApp', () => {
  it('uses the HTTP receiver when no app token is set', () => {
    const { app, db } = appFor({ SLACK_SIGNING_SECRET: 's' });
    assert.ok((app as any).receiver instanceof bolt.HTTPReceiver);
    db.close();
  });

  it('uses Socket Mode when SLACK_APP_TOKEN is set', () => {
    const { app, db } = appFor({ SLACK_APP_TOKEN: 'xapp-1-test' });
    assert.ok((app as any).receiver instanceof bolt.SocketModeReceiver);
    db.close();
  });
});
