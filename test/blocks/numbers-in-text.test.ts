/**
 * Every number a user reads comes from the constant that enforces it (issue 10). Two checks:
 * the help texts state today's constants, and no user-facing string in src/ spells one of those
 * limits as a literal again (the way "14 days" and "600 minutes" once drifted from their rules).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { contactHelp, contactModal } from '../../src/blocks/contact.js';
import { gembaHelp } from '../../src/blocks/gemba.js';
import { QUIET_RULE } from '../../src/blocks/team.js';
import { trendsHelp } from '../../src/blocks/trends.js';
import { CONTACT_LIMITS } from '../../src/services/contact-grammar.js';
import { IGNORED_NUDGES, QUIET_AFTER_DAYS } from '../../src/services/digest.js';
import { parseGembaText } from '../../src/services/gemba-grammar.js';
import { MAX_SNOOZE_DAYS, MAX_SNOOZE_WEEKS } from '../../src/services/snoozes.js';
import { DEFAULT_TREND_WEEKS, MAX_TREND_WEEKS } from '../../src/services/trends.js';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));
const textOf = (m: unknown): string => JSON.stringify(m);

describe('numbers in text follow their constants', () => {
  it('the help texts state the current limits', () => {
    assert.ok(textOf(trendsHelp()).includes(`your last ${DEFAULT_TREND_WEEKS} weeks`));
    assert.ok(textOf(trendsHelp()).includes(`from 1 to ${MAX_TREND_WEEKS}`));
    assert.ok(textOf(gembaHelp('manager')).includes(`up to ${MAX_SNOOZE_WEEKS} weeks`));
    assert.equal(MAX_SNOOZE_WEEKS, MAX_SNOOZE_DAYS / 7);
    const help = textOf(contactHelp());
    assert.ok(help.includes(`up to ${CONTACT_LIMITS.maxDaysBack} days back`));
    assert.ok(help.includes(`1–${CONTACT_LIMITS.durationMax} minutes`));
    const modal = textOf(contactModal({ today: '2026-12-02', meta: { channelId: 'C1' } }));
    assert.ok(modal.includes(`Up to ${CONTACT_LIMITS.maxDaysBack} days back`));
    assert.ok(modal.includes(`up to ${CONTACT_LIMITS.durationMax} minutes`));
    assert.equal(QUIET_RULE, `no conversation in ${QUIET_AFTER_DAYS} days, or ${IGNORED_NUDGES} nudges ignored`);
  });

  it('the snooze refusal names the longest snooze from MAX_SNOOZE_DAYS', () => {
    const r = parseGembaText(`snooze ${MAX_SNOOZE_DAYS + 1}d`);
    assert.match(textOf(r), new RegExp(`from 1 day to ${MAX_SNOOZE_WEEKS} weeks`));
  });

  it('no string in src/ spells a limit as a literal', () => {
    // The limits users read, as they would appear if typed in by hand again.
    const literals = [
      new RegExp(`\\b${QUIET_AFTER_DAYS} days\\b`),
      new RegExp(`\\b${IGNORED_NUDGES} nudges\\b`),
      new RegExp(`\\b${CONTACT_LIMITS.maxDaysBack} days\\b`),
      new RegExp(`\\b${CONTACT_LIMITS.durationMax} minutes\\b`),
      new RegExp(`\\b${MAX_SNOOZE_WEEKS} weeks\\b`),
      new RegExp(`\\b${MAX_TREND_WEEKS}\\b weeks|1 to ${MAX_TREND_WEEKS}\\b`),
    ];
    const offenders: string[] = [];
    for (const rel of readdirSync(SRC, { recursive: true, encoding: 'utf8' })) {
      // The sandbox's seed size is its own choice, not a product limit.
      if (!rel.endsWith('.ts') || rel.startsWith('sandbox')) continue;
      const code = readFileSync(join(SRC, rel), 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/^\s*\/\/.*$/gm, '')
        .replace(/\s\/\/ .*$/gm, '');
      for (const re of literals) {
        const hit = re.exec(code);
        if (hit) offenders.push(`src/${rel}: "${hit[0]}"`);
      }
    }
    assert.deepEqual(offenders, []);
  });
});
