import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  addDays,
  daysBetween,
  isoWeekKey,
  isoWeekMonday,
  isRealDate,
  isValidTimeZone,
  localDate,
  localDateTimeToMs,
  localHour,
  localWeekday,
  startOfLocalDayMs,
  weekdayOf,
  weekStart,
} from '../../src/lib/time.js';

const at = (iso: string): number => Date.parse(iso);
const HOUR = 3_600_000;
const ZONES = ['UTC', 'America/Chicago', 'Asia/Tokyo', 'Pacific/Auckland', 'America/Santiago', 'Australia/Lord_Howe', 'Asia/Kolkata'];

describe('isValidTimeZone', () => {
  it('accepts IANA names and rejects junk without throwing', () => {
    for (const tz of ['UTC', 'America/Chicago', 'Asia/Tokyo', 'Pacific/Auckland', 'Etc/GMT+5']) {
      assert.equal(isValidTimeZone(tz), true, tz);
    }
    for (const tz of ['', '   ', 'Mars/Olympus_Mons', 'not a zone', 'America/Chicagoo']) {
      assert.equal(isValidTimeZone(tz), false, tz);
    }
    assert.equal(isValidTimeZone(undefined as unknown as string), false);
  });
});

describe('localDate / localHour / localWeekday across zones', () => {
  it('reads the same instant in four zones', () => {
    // 2026-12-31T11:30Z: Chicago 05:30 Thu 31st (CST −6), Tokyo 20:30 Thu 31st (+9),
    // Auckland 00:30 Fri 2027-01-01 (NZDT +13, southern summer), UTC 11:30 Thu 31st.
    const ms = at('2026-12-31T11:30:00Z');
    const rows: Array<[string, string, number, number]> = [
      ['UTC', '2026-12-31', 11, 4],
      ['America/Chicago', '2026-12-31', 5, 4],
      ['Asia/Tokyo', '2026-12-31', 20, 4],
      ['Pacific/Auckland', '2027-01-01', 0, 5],
    ];
    for (const [tz, date, hour, weekday] of rows) {
      assert.equal(localDate(ms, tz), date, tz);
      assert.equal(localHour(ms, tz), hour, tz);
      assert.equal(localWeekday(ms, tz), weekday, tz);
    }
  });

  it('uses 7 for Sunday and 1 for Monday', () => {
    // 2026-11-29T20:00Z: Sunday 14:00 in Chicago, Monday 09:00 in Auckland, Monday 05:00 in Tokyo.
    const ms = at('2026-11-29T20:00:00Z');
    assert.equal(localWeekday(ms, 'America/Chicago'), 7);
    assert.equal(localWeekday(ms, 'UTC'), 7);
    assert.equal(localWeekday(ms, 'Pacific/Auckland'), 1);
    assert.equal(localWeekday(ms, 'Asia/Tokyo'), 1);
    assert.equal(localHour(ms, 'Pacific/Auckland'), 9);
  });

  it('reports midnight as hour 0, not 24', () => {
    assert.equal(localHour(at('2026-11-26T15:00:00Z'), 'Asia/Tokyo'), 0);
    assert.equal(localDate(at('2026-11-26T15:00:00Z'), 'Asia/Tokyo'), '2026-11-27');
    assert.equal(localDate(at('2026-11-26T14:59:59.999Z'), 'Asia/Tokyo'), '2026-11-26');
  });

  it('follows the US spring-forward and fall-back in Chicago', () => {
    // 2026-03-08: 01:59:59 CST (07:59:59Z) is followed by 03:00 CDT (08:00Z).
    assert.equal(localHour(at('2026-03-08T07:59:59Z'), 'America/Chicago'), 1);
    assert.equal(localHour(at('2026-03-08T08:00:00Z'), 'America/Chicago'), 3);
    // 2026-11-01: 01:30 happens twice, at 06:30Z (CDT) and 07:30Z (CST); 08:00Z is 02:00 CST.
    assert.equal(localHour(at('2026-11-01T06:30:00Z'), 'America/Chicago'), 1);
    assert.equal(localHour(at('2026-11-01T07:30:00Z'), 'America/Chicago'), 1);
    assert.equal(localHour(at('2026-11-01T08:00:00Z'), 'America/Chicago'), 2);
    assert.equal(localDate(at('2026-11-01T05:00:00Z'), 'America/Chicago'), '2026-11-01');
    assert.equal(localDate(at('2026-11-01T04:59:59Z'), 'America/Chicago'), '2026-10-31');
  });

  it('follows Auckland DST (ends 2026-04-05, starts 2026-09-27)', () => {
    // 2026-04-05 03:00 NZDT → 02:00 NZST: 13:30Z is 02:30 NZDT, 14:30Z is 02:30 NZST.
    assert.equal(localHour(at('2026-04-04T13:30:00Z'), 'Pacific/Auckland'), 2);
    assert.equal(localHour(at('2026-04-04T14:30:00Z'), 'Pacific/Auckland'), 2);
    assert.equal(localHour(at('2026-04-04T15:00:00Z'), 'Pacific/Auckland'), 3);
    // 2026-09-27 02:00 NZST → 03:00 NZDT at 14:00Z.
    assert.equal(localHour(at('2026-09-26T13:59:59Z'), 'Pacific/Auckland'), 1);
    assert.equal(localHour(at('2026-09-26T14:00:00Z'), 'Pacific/Auckland'), 3);
  });

  it('does not depend on the host machine time zone', () => {
    // dayjs().tz() re-parses in the host zone; with TZ=America/Chicago it shows this instant as
    // 03:30 in Tokyo (02:30 doesn't exist in Chicago that night). Ours must say 02:30.
    const ms = at('2026-03-07T17:30:00Z'); // 2026-03-08 02:30 JST
    const saved = process.env.TZ;
    const results: string[] = [];
    try {
      for (const host of ['UTC', 'America/Chicago', 'Pacific/Auckland', 'Asia/Tokyo']) {
        process.env.TZ = host;
        results.push(
          [
            localDate(ms, 'Asia/Tokyo'),
            localHour(ms, 'Asia/Tokyo'),
            startOfLocalDayMs('2026-03-08', 'America/Chicago'),
            localDateTimeToMs('2026-11-01', 1, 'America/Chicago'),
            addDays('2026-03-07', 1),
            weekdayOf('2026-03-08'),
          ].join('|'),
        );
      }
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
    assert.equal(results[0], `2026-03-08|2|${at('2026-03-08T06:00:00Z')}|${at('2026-11-01T06:00:00Z')}|2026-03-08|7`);
    assert.deepEqual(new Set(results).size, 1, results.join('\n'));
  });

  it('throws RangeError for an unknown zone or a bad instant', () => {
    assert.throws(() => localDate(0, 'Mars/Olympus_Mons'), RangeError);
    assert.throws(() => localHour(Number.NaN, 'UTC'), RangeError);
  });
});

describe('date-string arithmetic', () => {
  it('addDays crosses months, years and leap days', () => {
    assert.equal(addDays('2026-02-28', 1), '2026-03-01');
    assert.equal(addDays('2028-02-28', 1), '2028-02-29');
    assert.equal(addDays('2026-12-31', 1), '2027-01-01');
    assert.equal(addDays('2026-01-01', -1), '2025-12-31');
    assert.equal(addDays('2026-11-26', -30), '2026-10-27');
    assert.equal(addDays('2026-03-08', 1), '2026-03-09'); // DST day in the US: still one calendar day
    assert.equal(addDays('2026-11-26', 0), '2026-11-26');
  });

  it('daysBetween is b − a in whole days', () => {
    assert.equal(daysBetween('2026-10-27', '2026-11-26'), 30);
    assert.equal(daysBetween('2026-11-26', '2026-11-25'), -1);
    assert.equal(daysBetween('2026-03-01', '2026-03-31'), 30);
    assert.equal(daysBetween('2024-01-01', '2025-01-01'), 366);
    assert.equal(daysBetween('2026-11-26', '2026-11-26'), 0);
  });

  it('weekdayOf uses 1=Mon … 7=Sun', () => {
    assert.equal(weekdayOf('2026-11-23'), 1);
    assert.equal(weekdayOf('2026-11-26'), 4);
    assert.equal(weekdayOf('2026-11-29'), 7);
    assert.equal(weekdayOf('2000-01-01'), 6);
  });

  it('weekStart is the Monday of the week', () => {
    assert.equal(weekStart('2026-11-23'), '2026-11-23');
    assert.equal(weekStart('2026-11-26'), '2026-11-23');
    assert.equal(weekStart('2026-11-29'), '2026-11-23');
    assert.equal(weekStart('2026-11-30'), '2026-11-30');
    assert.equal(weekStart('2027-01-01'), '2026-12-28');
  });

  it('isoWeekKey uses the ISO week-numbering year', () => {
    const rows: Array<[string, string]> = [
      ['2026-12-31', '2026-W53'],
      ['2027-01-01', '2026-W53'],
      ['2027-01-03', '2026-W53'],
      ['2027-01-04', '2027-W01'],
      ['2020-12-31', '2020-W53'],
      ['2021-01-03', '2020-W53'],
      ['2021-01-04', '2021-W01'],
      ['2024-12-30', '2025-W01'],
      ['2025-12-29', '2026-W01'],
      ['2026-01-01', '2026-W01'],
      ['2026-11-26', '2026-W48'],
      ['2026-03-08', '2026-W10'],
    ];
    for (const [date, key] of rows) assert.equal(isoWeekKey(date), key, date);
  });

  it('isoWeekMonday inverts isoWeekKey', () => {
    for (const [key, monday] of [
      ['2026-W48', '2026-11-23'],
      ['2026-W01', '2025-12-29'],
      ['2026-W53', '2026-12-28'],
      ['2025-W01', '2024-12-30'],
      ['2021-W01', '2021-01-04'],
    ])
      assert.equal(isoWeekMonday(key), monday, key);
    for (let d = '2024-01-01'; d < '2028-01-01'; d = addDays(d, 1)) assert.equal(isoWeekMonday(isoWeekKey(d)), weekStart(d), d);
    for (const bad of ['2027-W53', '2026-W00', '2026-48', 'x']) assert.equal(isoWeekMonday(bad), null, bad);
  });

  it('isRealDate accepts only strict, existing YYYY-MM-DD dates', () => {
    for (const ok of ['2026-11-26', '2028-02-29', '2026-12-31', '2000-02-29', '0001-01-01']) {
      assert.equal(isRealDate(ok), true, ok);
    }
    for (const bad of [
      '2026-02-29',
      '2026-02-30',
      '2026-13-01',
      '2026-00-10',
      '2026-04-31',
      '2026-11-00',
      '1900-02-29',
      '2026-1-05',
      '26-11-26',
      '2026/11/26',
      '2026-11-26T00:00',
      ' 2026-11-26',
      '',
      'today',
      '２０２６-11-26',
    ]) {
      assert.equal(isRealDate(bad), false, bad);
    }
  });

  it('throws RangeError on invalid date input', () => {
    assert.throws(() => addDays('2026-02-30', 1), RangeError);
    assert.throws(() => addDays('2026-02-01', 1.5), RangeError);
    assert.throws(() => daysBetween('x', '2026-01-01'), RangeError);
    assert.throws(() => weekdayOf('2026-13-01'), RangeError);
  });

  it('addDays and daysBetween agree (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3_000_000 }), fc.integer({ min: -800, max: 800 }), (base, n) => {
        const a = addDays('1970-01-01', base % 40_000);
        const b = addDays(a, n);
        assert.equal(isRealDate(b), true);
        assert.equal(daysBetween(a, b), n);
        assert.equal(weekdayOf(weekStart(b)), 1);
      }),
    );
  });
});

describe('startOfLocalDayMs', () => {
  it('gives local midnight in each zone', () => {
    assert.equal(startOfLocalDayMs('2026-11-26', 'UTC'), at('2026-11-26T00:00:00Z'));
    assert.equal(startOfLocalDayMs('2026-11-26', 'America/Chicago'), at('2026-11-26T06:00:00Z'));
    assert.equal(startOfLocalDayMs('2026-11-26', 'Asia/Tokyo'), at('2026-11-25T15:00:00Z'));
    assert.equal(startOfLocalDayMs('2026-12-25', 'Pacific/Auckland'), at('2026-12-24T11:00:00Z'));
  });

  it('makes DST days 23 or 25 hours long', () => {
    const len = (date: string, tz: string): number => (startOfLocalDayMs(addDays(date, 1), tz) - startOfLocalDayMs(date, tz)) / HOUR;
    assert.equal(startOfLocalDayMs('2026-03-08', 'America/Chicago'), at('2026-03-08T06:00:00Z'));
    assert.equal(startOfLocalDayMs('2026-03-09', 'America/Chicago'), at('2026-03-09T05:00:00Z'));
    assert.equal(len('2026-03-08', 'America/Chicago'), 23);
    assert.equal(startOfLocalDayMs('2026-11-01', 'America/Chicago'), at('2026-11-01T05:00:00Z'));
    assert.equal(len('2026-11-01', 'America/Chicago'), 25);
    assert.equal(startOfLocalDayMs('2026-04-05', 'Pacific/Auckland'), at('2026-04-04T11:00:00Z'));
    assert.equal(len('2026-04-05', 'Pacific/Auckland'), 25);
    assert.equal(startOfLocalDayMs('2026-09-27', 'Pacific/Auckland'), at('2026-09-26T12:00:00Z'));
    assert.equal(len('2026-09-27', 'Pacific/Auckland'), 23);
    assert.equal(len('2026-11-26', 'Asia/Tokyo'), 24);
    assert.equal(len('2026-03-08', 'UTC'), 24);
  });

  it('starts a day whose midnight is skipped at the first instant after the gap', () => {
    // Chile springs forward at 24:00 on Saturday 2026-09-05: 00:00–00:59 on the 6th never
    // happens, so the 6th begins at 01:00 −03 = 04:00Z.
    assert.equal(startOfLocalDayMs('2026-09-06', 'America/Santiago'), at('2026-09-06T04:00:00Z'));
    assert.equal(localDate(at('2026-09-06T04:00:00Z'), 'America/Santiago'), '2026-09-06');
    assert.equal(localDate(at('2026-09-06T03:59:59Z'), 'America/Santiago'), '2026-09-05');
  });

  it('round-trips with localDate for many dates and zones (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 365 * 12 }), fc.constantFrom(...ZONES), (n, tz) => {
        const date = addDays('2020-01-01', n);
        const start = startOfLocalDayMs(date, tz);
        assert.equal(localDate(start, tz), date);
        assert.equal(localDate(start - 1, tz), addDays(date, -1));
      }),
    );
  });
});

describe('localDateTimeToMs', () => {
  it('gives the instant of a local wall hour', () => {
    assert.equal(localDateTimeToMs('2026-11-26', 9, 'America/Chicago'), at('2026-11-26T15:00:00Z'));
    assert.equal(localDateTimeToMs('2026-11-26', 9, 'Asia/Tokyo'), at('2026-11-26T00:00:00Z'));
    assert.equal(localDateTimeToMs('2026-11-26', 9, 'Pacific/Auckland'), at('2026-11-25T20:00:00Z'));
    assert.equal(localDateTimeToMs('2026-11-26', 9, 'UTC'), at('2026-11-26T09:00:00Z'));
    assert.equal(localDateTimeToMs('2026-11-26', 23, 'UTC'), at('2026-11-26T23:00:00Z'));
  });

  it('moves a wall time inside a DST gap to the first instant after the gap', () => {
    // Chicago 2026-03-08: 02:00–02:59 doesn't exist; 03:00 CDT = 08:00Z.
    assert.equal(localDateTimeToMs('2026-03-08', 1, 'America/Chicago'), at('2026-03-08T07:00:00Z'));
    assert.equal(localDateTimeToMs('2026-03-08', 2, 'America/Chicago'), at('2026-03-08T08:00:00Z'));
    assert.equal(localDateTimeToMs('2026-03-08', 3, 'America/Chicago'), at('2026-03-08T08:00:00Z'));
    assert.equal(localDateTimeToMs('2026-03-08', 9, 'America/Chicago'), at('2026-03-08T14:00:00Z'));
    // Auckland 2026-09-27: 02:00–02:59 doesn't exist; 03:00 NZDT = 14:00Z on the 26th.
    assert.equal(localDateTimeToMs('2026-09-27', 2, 'Pacific/Auckland'), at('2026-09-26T14:00:00Z'));
    assert.equal(localDateTimeToMs('2026-09-27', 3, 'Pacific/Auckland'), at('2026-09-26T14:00:00Z'));
    // Lord Howe's half-hour shift: 02:00–02:29 doesn't exist; 02:30 +11 = 15:30Z on the 3rd.
    assert.equal(localDateTimeToMs('2026-10-04', 2, 'Australia/Lord_Howe'), at('2026-10-03T15:30:00Z'));
  });

  it('picks the earlier instant when a wall time happens twice', () => {
    // Chicago 2026-11-01: 01:00 CDT (06:00Z) and 01:00 CST (07:00Z); 02:00 CST = 08:00Z.
    assert.equal(localDateTimeToMs('2026-11-01', 1, 'America/Chicago'), at('2026-11-01T06:00:00Z'));
    assert.equal(localDateTimeToMs('2026-11-01', 2, 'America/Chicago'), at('2026-11-01T08:00:00Z'));
    // Auckland 2026-04-05: 02:00 NZDT (13:00Z on the 4th) and 02:00 NZST (14:00Z); 03:00 NZST = 15:00Z.
    assert.equal(localDateTimeToMs('2026-04-05', 2, 'Pacific/Auckland'), at('2026-04-04T13:00:00Z'));
    assert.equal(localDateTimeToMs('2026-04-05', 3, 'Pacific/Auckland'), at('2026-04-04T15:00:00Z'));
  });

  it('round-trips with localDate/localHour outside gaps (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 365 * 12 }), fc.integer({ min: 0, max: 23 }), fc.constantFrom(...ZONES), (n, h, tz) => {
        const date = addDays('2020-01-01', n);
        const ms = localDateTimeToMs(date, h, tz);
        assert.equal(localDate(ms, tz), date);
        const got = localHour(ms, tz);
        if (got !== h) {
          // only allowed when h fell into a DST gap: then the result is the gap's end
          assert.ok(got > h, `${date} ${h}:00 ${tz} gave hour ${got}`);
          assert.notEqual(localHour(ms - 1, tz), h);
        }
      }),
    );
  });

  it('rejects a bad hour, date or zone', () => {
    assert.throws(() => localDateTimeToMs('2026-11-26', 24, 'UTC'), RangeError);
    assert.throws(() => localDateTimeToMs('2026-11-26', -1, 'UTC'), RangeError);
    assert.throws(() => localDateTimeToMs('2026-11-26', 9.5, 'UTC'), RangeError);
    assert.throws(() => localDateTimeToMs('2026-02-30', 9, 'UTC'), RangeError);
    assert.throws(() => localDateTimeToMs('2026-11-26', 9, 'Nowhere/Land'), RangeError);
  });
});
