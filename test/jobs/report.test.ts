import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { exitCodeOf, formatReport, newReport } from '../../src/jobs/report.js';

describe('job report', () => {
  it('exit code is 1 when anything failed, else 0', () => {
    const r = newReport('digest');
    assert.equal(exitCodeOf(r), 0);
    r.skipped.push('channel archived');
    assert.equal(exitCodeOf(r), 0, 'a skipped recipient is not a failure of the run');
    r.failed.push('digest to C1: invalid_blocks');
    assert.equal(exitCodeOf(r), 1);
  });
  it('says "no team is set up yet" when there is no team, "nothing was due" otherwise', () => {
    assert.match(formatReport(newReport('digest'), 0), /no team is set up yet/);
    assert.match(formatReport(newReport('digest'), 2), /nothing was due/);
    assert.doesNotMatch(formatReport(newReport('digest'), 0), /nothing was due/);
  });
});
