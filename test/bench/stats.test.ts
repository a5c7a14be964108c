/**
 * The bench's own arithmetic and arguments (bench/common.ts, bench/ack.ts): medians, spreads,
 * per-round ratios and verdicts against the ack targets, the rotating round order, and where the
 * results go by default. Pure functions: nothing is started.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ACK_TARGETS, type AckApp, type AckRound, FLOOR, GEMBA_ON, roundOrder, summarizeAck } from '../../bench/ack.js';
import {
  acrossRounds,
  DEFAULT_ROUNDS,
  median,
  midMedian,
  OUT_PATH,
  pairedRatio,
  parseBenchArgs,
  RECORD_PATH,
  ratio,
  spread,
  verdict,
} from '../../bench/common.js';

describe('bench statistics', () => {
  test('median is the middle value (lower middle for an even count), whatever the order', () => {
    assert.equal(median([5, 1, 3]), 3);
    assert.equal(median([4, 1, 3, 2]), 2);
    assert.equal(median([7]), 7);
    assert.ok(Number.isNaN(median([])));
  });

  test('midMedian of rounds averages the two middle values for an even count', () => {
    assert.equal(midMedian([5, 1, 3]), 3);
    assert.equal(midMedian([4, 1, 3, 2]), 2.5);
    assert.equal(midMedian([10, 20]), 15);
    assert.ok(Number.isNaN(midMedian([])));
    assert.deepEqual(acrossRounds([6, 15]), { median: 10.5, min: 6, max: 15 });
    assert.deepEqual(pairedRatio([2, 6], [1, 2]), { median: 2.5, min: 2, max: 3 });
  });

  test('spread is min and max across the rounds', () => {
    assert.deepEqual(spread([2.5, 1.2, 9, 3]), { min: 1.2, max: 9 });
    assert.deepEqual(acrossRounds([3, 1, 2]), { median: 2, min: 1, max: 3 });
  });

  test('ratio divides, and refuses a floor that was not measured', () => {
    assert.equal(ratio(3, 2), 1.5);
    assert.ok(Number.isNaN(ratio(3, 0)));
    assert.ok(Number.isNaN(ratio(3, NaN)));
  });

  test('pairedRatio compares round i with round i, not medians with medians', () => {
    // Gemba's rounds track a drifting floor: every round is exactly 2×, though the medians' ratio is not.
    const floor = [1, 10, 2, 20, 3];
    const gemba = floor.map((f) => 2 * f);
    assert.deepEqual(pairedRatio(gemba, floor), { median: 2, min: 2, max: 2 });
    assert.deepEqual(pairedRatio([3, 1, 4], [1, 1, 2]), { median: 2, min: 1, max: 3 });
    assert.throws(() => pairedRatio([1, 2], [1]), /2 rounds against 1/);
  });

  test('verdict: met at or under the target, missed over it or when unmeasured', () => {
    assert.equal(verdict(1.5, 1.5), 'met');
    assert.equal(verdict(1.49, 1.5), 'met');
    assert.equal(verdict(1.51, 1.5), 'missed');
    assert.equal(verdict(NaN, 2.5), 'missed');
    assert.deepEqual(ACK_TARGETS, { sqlite: 1.5, postgres: 2.5 });
  });

  test('roundOrder rotates the apps so each runs first in turn', () => {
    const apps = ['bare', 'sqlite', 'pg'];
    assert.deepEqual(roundOrder(apps, 0), ['bare', 'sqlite', 'pg']);
    assert.deepEqual(roundOrder(apps, 1), ['sqlite', 'pg', 'bare']);
    assert.deepEqual(roundOrder(apps, 2), ['pg', 'bare', 'sqlite']);
    assert.deepEqual(roundOrder(apps, 3), apps);
    assert.deepEqual(roundOrder(['bare', 'gemba'], 1), ['gemba', 'bare']);
  });

  test('summarizeAck: medians and spreads per app, per-round ratios and verdicts per engine and concurrency', () => {
    const round = (p50: number, p99: number, errors = 0): AckRound => ({ p50, p99, mean: p50, rps: 100, errors, cpuMs: 1 });
    const measured = new Map<AckApp, Map<number, AckRound[]>>([
      [
        FLOOR,
        new Map([
          [1, [round(1, 4), round(2, 8), round(1, 4)]],
          [16, [round(10, 40), round(10, 40), round(10, 40)]],
        ]),
      ],
      [
        GEMBA_ON.sqlite,
        new Map([
          [1, [round(1.4, 5), round(3, 12), round(1.6, 6)]],
          [16, [round(14, 50), round(15, 60), round(16, 70)]],
        ]),
      ],
      [
        GEMBA_ON.postgres,
        new Map([
          [1, [round(2, 8), round(4, 16), round(2, 8)]],
          [16, [round(20, 80), round(20, 80), round(20, 80, 1)]],
        ]),
      ],
    ]);
    const { settings, ratios } = summarizeAck(
      measured,
      new Map([
        [1, 600],
        [16, 2000],
      ]),
    );
    assert.equal(settings.length, 6);
    const sqlite1 = settings.find((s) => s.app === GEMBA_ON.sqlite && s.concurrency === 1)!;
    assert.deepEqual(sqlite1.p50, { median: 1.6, min: 1.4, max: 3 });
    assert.deepEqual(sqlite1.p99, { median: 6, min: 5, max: 12 });
    assert.equal(sqlite1.requests, 600);

    const find = (app: AckApp, c: number) => ratios.find((q) => q.app === app && q.concurrency === c)!;
    assert.equal(ratios.length, 4, 'one ratio per Gemba engine and concurrency, none for the floor');
    // c1 SQLite: per-round p50 ratios 1.4, 1.5, 1.6 → median 1.5 (met at 1.5×); p99 1.25, 1.5, 1.5 → 1.5 (met).
    const s1 = find(GEMBA_ON.sqlite, 1);
    assert.ok(Math.abs(s1.p50.median - 1.5) < 1e-9 && Math.abs(s1.p50.min - 1.4) < 1e-9 && Math.abs(s1.p50.max - 1.6) < 1e-9);
    assert.equal(s1.target, 1.5);
    assert.equal(s1.p50Verdict, 'met');
    assert.equal(s1.p99Verdict, 'met');
    // c16 SQLite: p50 ratios 1.4, 1.5, 1.6 → met; p99 1.25, 1.5, 1.75 → median 1.5 → met; but a p99 of 1.75 shows in the spread.
    assert.equal(find(GEMBA_ON.sqlite, 16).p99.max, 1.75);
    // c1 PostgreSQL: 2× everywhere, target 2.5× → met.
    const p1 = find(GEMBA_ON.postgres, 1);
    assert.equal(p1.target, 2.5);
    assert.equal(p1.p50.median, 2);
    assert.equal(p1.p50Verdict, 'met');
    // c16 PostgreSQL: 2× but one request failed → missed whatever the ratio.
    const p16 = find(GEMBA_ON.postgres, 16);
    assert.equal(p16.errors, 1);
    assert.equal(p16.p50Verdict, 'missed');
    assert.equal(p16.p99Verdict, 'missed');
  });

  test('summarizeAck: a ratio over the target misses', () => {
    const round = (p50: number, p99: number): AckRound => ({ p50, p99, mean: p50, rps: 1, errors: 0, cpuMs: null });
    const { ratios, settings } = summarizeAck(
      new Map<AckApp, Map<number, AckRound[]>>([
        [FLOOR, new Map([[16, [round(10, 10), round(10, 10)]]])],
        [GEMBA_ON.sqlite, new Map([[16, [round(16, 10), round(16, 10)]]])],
      ]),
      new Map([[16, 2000]]),
    );
    assert.equal(ratios[0].p50Verdict, 'missed');
    assert.equal(ratios[0].p99Verdict, 'met');
    assert.equal(settings[0].cpuMs, null);
  });
});

describe('bench arguments', () => {
  test('by default the results go to the untracked bench/out/, five rounds, both engines, every section', () => {
    const args = parseBenchArgs([]);
    assert.equal(args.out, 'bench/out/results.md');
    assert.equal(OUT_PATH, 'bench/out/results.md');
    assert.equal(args.record, false);
    assert.equal(args.rounds, 5);
    assert.equal(DEFAULT_ROUNDS, 5);
    assert.deepEqual(args.engines, ['sqlite', 'postgres']);
    assert.equal(args.only, null);
    assert.equal(args.db, null);
    assert.equal(args.reuse, false);
  });

  test('only --record writes the tracked bench/results.md', () => {
    assert.equal(parseBenchArgs(['--record']).out, 'bench/results.md');
    assert.equal(RECORD_PATH, 'bench/results.md');
    assert.equal(parseBenchArgs(['--only', 'ack', '--rounds', '2']).out, 'bench/out/results.md');
  });

  test('--only, --rounds, --engines, --db and --reuse, with a space or =', () => {
    const args = parseBenchArgs(['--only', 'ack,scale', '--rounds=7', '--engines', 'sqlite', '--db', '/tmp/x.db', '--reuse']);
    assert.deepEqual(args.only, ['ack', 'scale']);
    assert.equal(args.rounds, 7);
    assert.deepEqual(args.engines, ['sqlite']);
    assert.equal(args.db, '/tmp/x.db');
    assert.equal(args.reuse, true);
  });

  test('bad arguments are refused with a reason', () => {
    assert.throws(() => parseBenchArgs(['--rounds', '0']), /--rounds must be a whole number/);
    assert.throws(() => parseBenchArgs(['--rounds', 'many']), /--rounds must be a whole number/);
    assert.throws(() => parseBenchArgs(['--rounds']), /--rounds needs a value/);
    assert.throws(() => parseBenchArgs(['--only', '--record']), /--only needs a value/);
    assert.throws(() => parseBenchArgs(['--engines', 'mysql']), /unknown engine mysql/);
    assert.throws(() => parseBenchArgs(['--recrod']), /unknown argument --recrod/);
  });
});
