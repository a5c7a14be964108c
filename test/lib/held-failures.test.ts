import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ErrorCode } from '../../src/lib/errors.js';
import { HeldFailures } from '../../src/lib/held-failures.js';

describe('HeldFailures', () => {
  it('keeps failures by team and publish day, counted by kind, and gives them back once their day is published', () => {
    const held = new HeldFailures();
    const boom = new Error('database is locked (U0SOMEONE1)');
    held.record('T1', '2026-11-27', { where: 'command /flag-tactic', code: ErrorCode.StorageUnavailable, err: boom });
    held.record('T1', '2026-11-27', { where: 'command /flag-tactic', code: ErrorCode.StorageUnavailable, err: boom });
    held.record('T1', '2026-11-28', { where: 'command /flag-tactic', code: ErrorCode.UserInput, err: new Error('no') });
    held.record('T2', '2026-11-27', { where: 'action tactic_me_too', code: ErrorCode.Unexpected, err: new Error('bug') });
    assert.deepEqual(held.take('T1', '2026-11-26'), [], 'nothing held for an earlier publish');
    assert.deepEqual(held.take('T1', '2026-11-27'), [
      { where: 'command /flag-tactic', code: ErrorCode.StorageUnavailable, error: 'Error: database is locked ([user])', count: 2 },
    ]);
    assert.deepEqual(held.take('T1', '2026-11-27'), [], 'given back once');
    assert.equal(held.take('T1', '2026-11-28').length, 1);
    assert.deepEqual([...held.takeAll().keys()], ['T2']);
    assert.equal(held.takeAll().size, 0);
  });

  it('holds a bounded number of kinds per team and day: more are counted, not kept', () => {
    const held = new HeldFailures();
    for (let i = 0; i < 500; i++) held.record('T1', '2026-11-27', { where: 'x', code: ErrorCode.Unexpected, err: new Error(`e${i}`) });
    const kinds = held.take('T1', '2026-11-27');
    assert.equal(kinds.length, 50);
    assert.equal(
      kinds.reduce((n, k) => n + k.count, 0),
      500,
    );
  });
});
