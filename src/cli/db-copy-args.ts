/** The db:copy CLI's arguments, apart from src/cli/db-copy.ts so they can be tested without a database. */
import { redactSecrets } from '../lib/redact.js';

/** `postgres://…`, `mysql://…`: something typed as a URL (a file path has no scheme). */
const looksLikeUrl = (s: string) => /^[a-z][a-z0-9+.-]*:\/\//i.test(s);

export const COPY_USAGE = [
  'usage: npm run db:copy -- --from <sqlite file> --to <postgres URL>',
  'example: npm run db:copy -- --from ./data/gemba.db --to postgres://gemba:secret@db.example.com:5432/gemba',
  'Copies a stopped SQLite install (gemba.db and gemba.anon.db beside it) into an empty PostgreSQL database,',
  'then compares row counts table by table. The URL may leave the password out and use PGPASSWORD instead.',
].join('\n');

/** The parsed command line, a request for help (`--help`, `-h`), or a message saying what is wrong with it. */
export function parseCopyArgs(argv: string[]): { from: string; to: string } | { help: true } | { error: string } {
  if (argv.some((a) => a === '--help' || a === '-h')) return { help: true };
  const rest = [...argv];
  const found: { from?: string; to?: string } = {};
  while (rest.length) {
    const arg = rest.shift() ?? '';
    const m = /^--(from|to)(?:=(.*))?$/.exec(arg);
    // An argument is quoted back without any password it holds: a URL typed without --to carries one.
    if (!m)
      return {
        error: `unknown argument "${redactSecrets(arg)}"${looksLikeUrl(arg) ? ' (the PostgreSQL URL goes after --to)' : ''}`,
      };
    const name = m[1] as 'from' | 'to';
    const value = m[2] ?? rest.shift();
    if (!value || value.startsWith('--')) return { error: `--${name} needs a value` };
    if (found[name] !== undefined) return { error: `--${name} given twice` };
    found[name] = value;
  }
  if (found.from && looksLikeUrl(found.from))
    return { error: `--from is the SQLite file (e.g. ./data/gemba.db), not a URL: the PostgreSQL URL goes after --to` };
  if (!found.from) return { error: 'missing --from (the SQLite file, e.g. ./data/gemba.db)' };
  if (!found.to) return { error: 'missing --to (the PostgreSQL URL, e.g. postgres://gemba@localhost:5432/gemba)' };
  let url: URL;
  try {
    url = new URL(found.to);
  } catch {
    return { error: '--to must be a URL such as postgres://gemba@localhost:5432/gemba' };
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:')
    return { error: `--to must be a postgres:// URL (got ${url.protocol}//…)` };
  return { from: found.from, to: found.to };
}
