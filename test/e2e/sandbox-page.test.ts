/**
 * The sandbox's page server, driven over HTTP as its page drives it (POST /do/… as JSON, GET /pane,
 * GET /files/…): a reply sent through response_url after the ack is on the page when the command
 * returns.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createLogger } from '../../src/lib/logger.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/sandbox.js';

const quiet = createLogger('warn', { write: () => undefined });

describe('the sandbox page server', { timeout: 180_000 }, () => {
  let sandbox: Sandbox;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gemba-sandbox-page-'));
    sandbox = await startSandbox({ dataDir: dir, port: 0, logger: quiet });
  });
  after(async () => {
    await sandbox?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const act = async (what: string, body: Record<string, unknown>) => {
    const res = await fetch(`${sandbox.url}/do/${what}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    assert.equal(res.status, 200, await res.clone().text());
    return (await res.json()) as { ok: boolean };
  };
  const command = (user: string, text: string, channel = `D${user}`) => act('command', { user, channel, text });

  it("a reply the app sends through response_url after an empty ack is on the page when the command returns (a rep's /gemba admin)", async () => {
    // users.info answers slowly, so the refusal comes well after the ack.
    sandbox.simulator.delayMs = 150;
    try {
      await command('UREP04', '/gemba admin target 4');
    } finally {
      sandbox.simulator.delayMs = 0;
    }
    const pane = await (await fetch(`${sandbox.url}/pane?as=UREP04&pane=DUREP04`)).text();
    assert.match(pane, /That is for Gemba admins/);
    assert.doesNotMatch(pane, /your settings/, 'not the /gemba help');
    assert.equal(await sandbox.ctx.services.settings.forTeam('T0SANDBOX').then((s) => s.weeklyTarget), 3, 'nothing changed');
  });
});
