/**
 * `npm run goldens`: re-renders the golden chart images in test/charts/goldens/ from the fixed data
 * in test/charts/fixtures.ts. Run it after a deliberate change to how charts look, open the PNGs,
 * and commit them with the change.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { GOLDEN_DIR, GOLDEN_NAMES, renderGolden } from '../test/charts/goldens.js';

mkdirSync(GOLDEN_DIR, { recursive: true });
for (const name of GOLDEN_NAMES) {
  const chart = renderGolden(name);
  writeFileSync(new URL(`${name}.png`, GOLDEN_DIR), chart.png);
  writeFileSync(new URL(`${name}.alt.txt`, GOLDEN_DIR), `${chart.alt}\n`);
  process.stdout.write(`${name}.png  ${(chart.png.length / 1024).toFixed(1)} KB\n`);
}
