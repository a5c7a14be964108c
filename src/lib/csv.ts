/**
 * A text cell a spreadsheet would run as a formula: it starts with `=`, `+`, `-`, `@`, a tab or a
 * carriage return. Leading apostrophes are included so the neutralising apostrophe can be told
 * apart from one that was typed: `=1` → `'=1`, `'=1` → `''=1`, `'tis` stays `'tis`.
 */
const FORMULA_START = /^'*[=+\-@\t\r]/;

/**
 * RFC 4180 CSV, safe to open in a spreadsheet: a cell that starts like a formula gets a leading
 * apostrophe (OWASP's advice for CSV injection), reversibly (see FORMULA_START and restoreCell).
 * Quoting follows RFC 4180: fields containing a comma, quote or line break are wrapped in
 * quotes, with quotes doubled; lines end in CRLF.
 */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let s = String(value);
  if (typeof value === 'string' && FORMULA_START.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Undoes csvCell's neutralising apostrophe, giving back exactly the text that was exported. */
export function restoreCell(cell: string): string {
  return cell.startsWith("'") && FORMULA_START.test(cell.slice(1)) ? cell.slice(1) : cell;
}

/** A whole CSV document from a header and rows. */
export function toCsv(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number | null>>): string {
  return `${[header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

/** Parses RFC 4180 CSV back into rows (used by tests to prove the export round-trips). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  if (cell !== '' || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}
