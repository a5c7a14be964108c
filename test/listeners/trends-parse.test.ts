import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ECHO_MAX, parseTrendsText } from '../../src/listeners/commands/trends.js';

describe('/trends refusals quote at most a short piece of what was typed', () => {
  for (const text of ['x'.repeat(3000), `team ${'9'.repeat(3000)}`, `12 ${'word '.repeat(600)}`]) {
    it(`caps the echo of a ${text.length}-character input`, () => {
      const r = parseTrendsText(text);
      assert.equal(r.kind, 'error');
      if (r.kind !== 'error') return;
      const quoted = /"([^"]*)"/.exec(r.message)?.[1] ?? '';
      assert.ok(quoted.length <= ECHO_MAX, `quoted ${quoted.length} characters`);
      assert.ok(r.message.length < 150, r.message);
    });
  }
  it('quotes a short unknown word whole', () => {
    const r = parseTrendsText('sparkles');
    assert.equal(r.kind === 'error' && r.message, 'I don\'t know "sparkles". Use a number of weeks, `team`, or an @mention.');
  });
});

describe('/trends refusals offer an example the asker may run', () => {
  for (const [text, example] of [
    ['8 8', '/trends 12'],
    ['12 team', '/trends 12'],
    ['<@U0777|bob> 4 4', '/trends 12'],
    ['team 8 8', '/trends team 12'],
  ] as const) {
    it(`"${text}" → ${example}`, () => {
      const r = parseTrendsText(text);
      assert.equal(r.kind === 'error' && r.example, example);
    });
  }
});
