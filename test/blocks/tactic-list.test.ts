/**
 * `/flag-tactic list` as leadership reads it: a count only from ANONYMITY_MIN_REPORTS crowds, and below
 * it neither a count nor an order that hints at one. Reps see every count, most-supported first.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tacticList } from '../../src/blocks/tactics.js';
import type { ListedTactic } from '../../src/services/tactics.js';

const tactic = (id: number, text: string, reporters: number): ListedTactic => ({
  id,
  text,
  reporters,
  createdWeek: '2026-W48',
  decision: null,
  decidedWeek: null,
});
// As the service lists them: most-supported first.
const LISTED = [tactic(500, 'Cold calling', 4), tactic(900, 'Paid ads', 2), tactic(100, 'Zoom everything', 1)];
const words = (viewer: 'rep' | 'leadership') =>
  (tacticList(LISTED, { minReports: 3, crowdSize: 5, viewer }).blocks ?? []).map((b) => JSON.stringify(b)).join('\n');
const order = (text: string) => [...text.matchAll(/\*([A-Z][a-z]+ [a-z]+)\* {2}`#/g)].map((m) => m[1]);

describe('tacticList by viewer', () => {
  it('leadership: counted tactics first, those below the threshold by number, with no count and no Me too', () => {
    const text = words('leadership');
    assert.deepEqual(order(text), ['Cold calling', 'Zoom everything', 'Paid ads']);
    assert.match(text, /at least 4 reps · in the weekly digest/);
    assert.doesNotMatch(text, /at least [12] reps?/);
    assert.doesNotMatch(text, /Me too"/);
  });

  it('a rep: every count, most-supported first, each with Me too', () => {
    const text = words('rep');
    assert.deepEqual(order(text), ['Cold calling', 'Paid ads', 'Zoom everything']);
    assert.match(text, /at least 2 reps · needs 1 more crowd/);
    assert.equal(text.match(/"Me too"/g)?.length, 3);
  });
});
