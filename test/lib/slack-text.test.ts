/** Counting and cutting user text by characters (code points): an emoji is one character and is never cut in half. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { charCount, firstChars, truncate } from '../../src/lib/slack-text.js';

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe('charCount and firstChars', () => {
  it('count an emoji as one character, as Slack does', () => {
    assert.equal(charCount('Acme 😀'), 6);
    assert.equal(charCount(''), 0);
    assert.equal(firstChars('😀😀😀', 2), '😀😀');
    assert.equal(firstChars('abc', 10), 'abc');
  });
});

describe('truncate', () => {
  it('never ends inside an emoji or an escape sequence', () => {
    for (let max = 2; max < 12; max++) {
      const cut = truncate('ab😀😀😀😀😀😀😀😀', max);
      assert.doesNotMatch(cut, loneSurrogate, `max ${max}: ${JSON.stringify(cut)}`);
      assert.ok(cut.length <= max, `max ${max}: ${cut.length}`);
    }
    assert.equal(truncate('Tom &amp; Jerry and friends', 9), 'Tom …');
  });
});
