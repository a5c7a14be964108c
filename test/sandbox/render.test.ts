/**
 * The sandbox page's rendering of what Gemba sends: every emoji name the app's messages use is
 * drawn as its character, not left as `:name:` text; mentions show names, as Slack shows them.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { names } from '../../src/sandbox/page.js';
import { EMOJI, mrkdwn } from '../../src/sandbox/render.js';

const SRC = resolve(import.meta.dirname, '../../src');
const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );

describe('sandbox: emoji', () => {
  it('every :emoji: in the messages Gemba builds (blocks, listeners, jobs, services) is in the page’s table', () => {
    const used = new Set<string>();
    for (const folder of ['blocks', 'listeners', 'jobs', 'services'])
      for (const file of filesUnder(join(SRC, folder)))
        for (const m of readFileSync(file, 'utf8').matchAll(/:([a-z][a-z0-9_+-]*):/g)) used.add(m[1]);
    assert.ok(used.has('white_check_mark'), 'the scan finds emoji');
    assert.deepEqual(
      [...used].filter((name) => !(name in EMOJI)),
      [],
    );
  });

  it(':hourglass_flowing_sand: (the export and sync acks) is drawn', () => {
    assert.equal(mrkdwn(':hourglass_flowing_sand: Preparing the export'), '⏳ Preparing the export');
  });
});

describe('sandbox: mentions as Slack shows them', () => {
  it('a user group by its handle, as the app sends it (`<!subteam^ID>`, no label)', () => {
    assert.equal(
      mrkdwn('Reps are now the members of <!subteam^S0REPS>.', names),
      'Reps are now the members of <span class="mention">@sales-reps</span>.',
    );
    assert.equal(mrkdwn('<!subteam^S0MGRS|@managers>', names), '<span class="mention">@managers</span>', 'a label is shown as sent');
    assert.equal(mrkdwn('<!subteam^SUNKNOWN>', names), '<span class="mention">@group</span>');
  });

  it('people and channels by name', () => {
    assert.equal(
      mrkdwn('<@UMGR07> in <#C0SALESLB>', names),
      '<span class="mention">@Ben Carter</span> in <span class="mention">#sales-leaderboard</span>',
    );
  });
});
