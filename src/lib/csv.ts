/**
 * A text cell a spreadsheet would run as a formula: it starts with `=`, `+`, `-`, `@`, a tab or a
 * carriage return. Leading apostrophes are included so the neutralising apostrophe can be told
 * apart from one that was typed: `=1` → `'=1`, `'=1` → `''=1`, `'tis` stays `'tis`.
 */
export const FORMULA_START = /^'*[=+\-@\t\r]/;

/**
 * RFC 4180 CSV, safe to open in a spreadsheet: a cell that starts like a formula gets a leading
 * apostrophe (OWASP's advice for CSV injection), reversibly (see FORMULA_START; test/kit/csv.ts restores it).
 * Quoting follows RFC 4180: fields containing a comma, quote or line break are wrapped in
 * quotes, with quotes doubled; lines end in CRLF.
 */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let s = String(value);
  if (typeof value === 'string' && FORMULA_START.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A whole CSV document from a header and rows. */
export function toCsv(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number | null>>): string {
  return `${[header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
}
