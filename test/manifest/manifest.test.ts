import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { ActionId, ViewId } from '../../src/blocks/ids.js';
import { actionHandlers } from '../../src/listeners/actions/index.js';
import { commandHandlers } from '../../src/listeners/commands/index.js';
import { eventHandlers } from '../../src/listeners/events/index.js';
import { viewHandlers } from '../../src/listeners/views/index.js';
import { BOT_SCOPES } from '../../src/slack/scopes.js';
import { startHarness } from '../kit/harness.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const manifest = parse(readFileSync(join(root, 'manifest.yml'), 'utf8'));
const schemaDir = join(root, '..', 'shared', 'slack-manifest-schema');

/** Which bot scope each Web API method needs (slack-platform.md §5). */
const SCOPE_OF_METHOD: Record<string, string | null> = {
  'chat.postMessage': 'chat:write',
  'chat.postEphemeral': 'chat:write',
  'chat.update': 'chat:write',
  'conversations.open': 'im:write',
  // Only on DMs: a nudge read back after a crash (jobs/nudges.ts readBackNudge).
  'conversations.history': 'im:history',
  'users.info': 'users:read',
  'users.list': 'users:read',
  'usergroups.users.list': 'usergroups:read',
  filesUploadV2: 'files:write',
  'files.getUploadURLExternal': 'files:write',
  'files.completeUploadExternal': 'files:write',
  'views.open': null,
  'views.publish': null,
  'views.update': null,
  'views.push': null,
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** The Web API methods src/ calls, read from the code itself. */
function methodsUsed(): Set<string> {
  const used = new Set<string>();
  for (const file of sourceFiles(join(root, 'src'))) {
    const code = readFileSync(file, 'utf8');
    for (const m of code.matchAll(
      /\b(?:client|slack)\.((?:chat|conversations|users|usergroups|views|files)\.[a-zA-Z]+(?:\.[a-zA-Z]+)?)\(/g,
    ))
      used.add(m[1]);
    if (/\.filesUploadV2\(/.test(code)) used.add('filesUploadV2');
  }
  return used;
}

describe('manifest.yml', () => {
  it('declares exactly the slash commands that have handlers, each escaped with a description and usage hint', () => {
    const commands = manifest.features.slash_commands as Array<Record<string, unknown>>;
    assert.deepEqual(commands.map((c) => c.command).sort(), Object.keys(commandHandlers).sort());
    for (const c of commands) {
      assert.equal(c.should_escape, true, `${c.command} must set should_escape`);
      assert.ok(typeof c.description === 'string' && c.description.length > 0, `${c.command} needs a description`);
      assert.ok(typeof c.usage_hint === 'string' && c.usage_hint.length > 0, `${c.command} needs a usage hint`);
    }
  });

  it('subscribes to exactly the events that have handlers', () => {
    assert.deepEqual([...manifest.settings.event_subscriptions.bot_events].sort(), Object.keys(eventHandlers).sort());
  });

  it('asks for the same bot scopes the install link requests, and sends installers back to /slack/oauth_redirect', () => {
    assert.deepEqual([...manifest.oauth_config.scopes.bot].sort(), [...BOT_SCOPES].sort());
    const urls = manifest.oauth_config.redirect_urls as string[];
    assert.ok(urls.length > 0 && urls.every((u) => new URL(u).pathname === '/slack/oauth_redirect'), `redirect_urls: ${urls}`);
  });

  it('enables interactivity and the Home tab', () => {
    assert.equal(manifest.settings.interactivity.is_enabled, true);
    assert.equal(manifest.features.app_home.home_tab_enabled, true);
  });

  it('asks for exactly the bot scopes the code uses', () => {
    const used = methodsUsed();
    for (const m of used) assert.ok(m in SCOPE_OF_METHOD, `src/ calls ${m}: add its scope to SCOPE_OF_METHOD`);
    const needed = new Set(['commands', ...[...used].map((m) => SCOPE_OF_METHOD[m]).filter((s): s is string => s !== null)]);
    assert.deepEqual([...manifest.oauth_config.scopes.bot].sort(), [...needed].sort());
  });

  it('every action and view id in blocks/ids.ts has a handler, and every handler id is in ids.ts', () => {
    assert.deepEqual(Object.values(ActionId).sort(), Object.keys(actionHandlers).sort());
    assert.deepEqual(Object.values(ViewId).sort(), Object.keys(viewHandlers).sort());
  });

  it('every manifest command is answered by its own handler (200, and not the reply for a command Gemba lacks)', async () => {
    const h = await startHarness();
    try {
      for (const c of manifest.features.slash_commands as Array<{ command: string }>) {
        const r = await h.command(c.command, 'help');
        assert.equal(r.status, 200, `${c.command} help`);
        assert.ok(r.json?.text, `${c.command} help answers with text`);
        assert.doesNotMatch(r.json.text, /Gemba has no/, `${c.command} reached a handler`);
      }
    } finally {
      await h.close();
    }
  });

  it("validates against Slack's manifest JSON Schema", async (t) => {
    const schemaFile = join(schemaDir, 'manifest.schema.1.0.0.json');
    if (!existsSync(schemaFile)) {
      t.skip(`Slack's manifest schema is not at ${schemaDir}; skipping schema validation`);
      return;
    }
    const { default: Ajv } = await import('ajv');
    const ajv = new (Ajv as any)({ strict: false, allErrors: true });
    const validate = ajv.compile(JSON.parse(readFileSync(schemaFile, 'utf8')));
    const ok = validate(manifest);
    assert.ok(ok, JSON.stringify(validate.errors, null, 2));
  });
});
