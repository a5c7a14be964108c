/**
 * Golden images: each chart, drawn from fixed data, matches the PNG committed in goldens/ within a
 * small pixel tolerance (anti-aliasing may differ by a shade across CPUs). After a deliberate change
 * in how charts look: `npm run goldens`, open the PNGs, commit them.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';
import { MAX_PNG_BYTES } from '../../src/charts/index.js';
import { GOLDEN_DIR, GOLDEN_NAMES, renderGolden } from './goldens.js';

/** At most this share of pixels may differ (beyond pixelmatch's per-pixel colour threshold). */
const MAX_DIFF_SHARE = 0.002;

describe('chart goldens', () => {
  for (const name of GOLDEN_NAMES) {
    it(`${name} matches goldens/${name}.png`, () => {
      const chart = renderGolden(name);
      assert.ok(chart.png.length < MAX_PNG_BYTES, `${name} is ${chart.png.length} bytes`);
      const actual = PNG.sync.read(chart.png);
      const expected = PNG.sync.read(readFileSync(new URL(`${name}.png`, GOLDEN_DIR)));
      assert.deepEqual([actual.width, actual.height], [expected.width, expected.height], 'size changed: run npm run goldens if intended');
      const diff = pixelmatch(actual.data, expected.data, undefined, actual.width, actual.height, { threshold: 0.1 });
      const share = diff / (actual.width * actual.height);
      assert.ok(share <= MAX_DIFF_SHARE, `${name}: ${diff} pixels (${(share * 100).toFixed(2)}%) differ from the golden`);
      assert.equal(chart.alt, readFileSync(new URL(`${name}.alt.txt`, GOLDEN_DIR), 'utf8').trimEnd());
    });
  }
});
