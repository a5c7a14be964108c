/**
 * The export's CSV: RFC 4180 quoting, formula-injection neutralising, and a parse that gives back
 * exactly what was written.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { csvCell, toCsv } from '../../src/lib/csv.js';
import { parseCsv, restoreCell } from '../kit/csv.js';

const FORMULA = /^[=+\-@\t\r]/;

describe('csvCell', () => {
  it('leaves plain text and numbers alone; null and undefined are empty', () => {
    assert.equal(csvCell('Acme Corp'), 'Acme Corp');
    assert.equal(csvCell(42), '42');
    assert.equal(csvCell(-3), '-3', 'numbers are data, never neutralised');
    assert.equal(csvCell(null), '');
    assert.equal(csvCell(undefined), '');
    assert.equal(csvCell(''), '');
  });

  it('quotes commas, quotes and line breaks (RFC 4180), doubling quotes', () => {
    assert.equal(csvCell('Acme, Inc.'), '"Acme, Inc."');
    assert.equal(csvCell('Dana "DJ" Lee'), '"Dana ""DJ"" Lee"');
    assert.equal(csvCell('line 1\nline 2'), '"line 1\nline 2"');
    assert.equal(csvCell('line 1\r\nline 2'), '"line 1\r\nline 2"');
    assert.equal(csvCell('"'), '""""');
  });

  it('neutralises cells a spreadsheet would run as a formula: = + - @ tab CR', () => {
    assert.equal(csvCell('=HYPERLINK("http://evil","x")'), `"'=HYPERLINK(""http://evil"",""x"")"`);
    assert.equal(csvCell('+1 555 0100'), "'+1 555 0100");
    assert.equal(csvCell('-2+3'), "'-2+3");
    assert.equal(csvCell('@SUM(A1:A9)'), "'@SUM(A1:A9)");
    assert.equal(csvCell('\t=1'), "'\t=1");
    assert.equal(csvCell('\r=1'), `"'\r=1"`);
    assert.equal(csvCell('a=1'), 'a=1', 'only the first character matters');
    assert.equal(csvCell(' =1'), ' =1');
  });

  it('marks a typed apostrophe before a formula character too, so the export stays reversible', () => {
    assert.equal(csvCell("'=1"), "''=1");
    assert.equal(csvCell("''+1"), "'''+1");
    assert.equal(csvCell("'tis the season"), "'tis the season", 'an apostrophe before ordinary text is left as typed');
  });
});

describe('restoreCell', () => {
  it('removes exactly the apostrophe csvCell added', () => {
    for (const s of ['=1', '+1', '-1', '@x', '\t1', '\r1', "'=1", "''=1", "'tis", "'", "''", 'plain', '', "'a=1"]) {
      assert.equal(restoreCell(parseCsv(`${csvCell(s)}\r\n`)[0]?.[0] ?? ''), s, JSON.stringify(s));
    }
  });
});

describe('toCsv and parseCsv', () => {
  it('writes a header, CRLF line ends and a final CRLF', () => {
    const csv = toCsv(
      ['a', 'b'],
      [
        ['x', 1],
        [null, 'y,z'],
      ],
    );
    assert.equal(csv, 'a,b\r\nx,1\r\n,"y,z"\r\n');
    assert.deepEqual(parseCsv(csv), [
      ['a', 'b'],
      ['x', '1'],
      ['', 'y,z'],
    ]);
  });

  it('parses quoted fields holding commas, quotes, CR, LF and CRLF', () => {
    assert.deepEqual(parseCsv('"a,b","c""d","e\r\nf","g\nh","i\rj"\r\n'), [['a,b', 'c"d', 'e\r\nf', 'g\nh', 'i\rj']]);
    assert.deepEqual(parseCsv('a,\r\n,\r\n'), [
      ['a', ''],
      ['', ''],
    ]);
    assert.deepEqual(parseCsv('no final newline'), [['no final newline']]);
  });

  // Characters that stress quoting and neutralising, mixed with ordinary and non-ASCII text.
  const tricky = fc.string({
    unit: fc.constantFrom('=', '+', '-', '@', '\t', '\r', '\n', '"', ',', "'", ' ', 'a', 'Z', '7', 'é', '😀', '<', '&'),
  });
  const text = fc.oneof(tricky, fc.string({ unit: 'grapheme' }));

  it('round-trips any table of strings exactly (property)', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 5 })
          .chain((w) => fc.array(fc.array(text, { minLength: w, maxLength: w }), { maxLength: 8 }).map((rows) => ({ w, rows }))),
        ({ w, rows }) => {
          const header = Array.from({ length: w }, (_, i) => `c${i}`);
          const parsed = parseCsv(toCsv(header, rows));
          assert.deepEqual(parsed[0], header);
          assert.deepEqual(
            parsed.slice(1).map((r) => r.map(restoreCell)),
            rows,
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('no parsed cell ever starts like a formula (property)', () => {
    fc.assert(
      fc.property(fc.array(text, { minLength: 1, maxLength: 6 }), (row) => {
        for (const cell of parseCsv(
          toCsv(
            row.map((_, i) => `c${i}`),
            [row],
          ),
        )[1])
          assert.doesNotMatch(cell, FORMULA);
      }),
      { numRuns: 300 },
    );
  });
});
