import fc from 'fast-check';
import { parseContactText } from '../../src/services/contact-grammar.ts';
import { parseFlagText } from '../../src/services/tactics.ts';
import { hostileText, localDay } from '../../test/properties/arbitraries.ts';
const word = fc.constantFrom('with', 'via', 'on', 'today', 'yesterday', 'call', '30m', '2026-11-20', ':');
const t = fc.oneof(hostileText, fc.array(fc.oneof(word, hostileText, fc.constantFrom('Acme', 'Dana Lee (CFO)', 'AT&T', '<!channel>')), { maxLength: 12 }).map((w) => w.join(' ')));
const s = fc.sample(fc.tuple(t, localDay), 2000); let ok = 0; for (const [x, d] of s) if (parseContactText(x, d).ok) ok++;
console.log('contact ok', ok / 2000);
let f = 0; for (const x of fc.sample(hostileText, 2000)) if (parseFlagText(x).ok) f++; console.log('flag ok', f / 2000);
