import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { teamTrendMessage } from '../../src/blocks/team.js';
import type { TeamTrend } from '../../src/services/team.js';

const trend = (latestTotal: number): TeamTrend => ({
  weeks: [
    { weekStart: '2026-11-16', total: 3, managersWithOne: 2, coverage: 2 / 3 },
    { weekStart: '2026-11-23', total: latestTotal, managersWithOne: latestTotal > 0 ? 1 : 0, coverage: latestTotal > 0 ? 1 / 3 : 0 },
  ],
  managerCount: 3,
  managers: [],
  accountsTouched: 1,
  target: 3,
});

describe('team trend summary', () => {
  it('says "1 conversation", and the plural otherwise', () => {
    const text = (n: number) => JSON.stringify(teamTrendMessage(trend(n)).blocks);
    assert.match(text(1), /Week of Mon 23 Nov: \*1\* conversation ·/);
    assert.match(text(2), /Week of Mon 23 Nov: \*2\* conversations ·/);
    assert.match(text(0), /Week of Mon 23 Nov: \*0\* conversations ·/);
  });
});
