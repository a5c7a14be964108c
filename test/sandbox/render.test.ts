/**
 * The sandbox page's rendering of what Gemba sends: every emoji name the app's messages use is
 * drawn as its character, not left as `:name:` text.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
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
