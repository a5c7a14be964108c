import { analyzeTarget, CopyError, copySqliteToPostgres, type TableCount } from '../db/copy.js';
import { redactSecrets, redactUrl } from '../lib/redact.js';
import { COPY_USAGE, parseCopyArgs } from './db-copy-args.js';

/** Everything the CLI prints goes through here: no password, wherever a message quotes a URL. */
const out = (text: string) => process.stdout.write(redactSecrets(text));
const err = (text: string) => process.stderr.write(redactSecrets(text));

/**
 * `npm run db:copy -- --from ./data/gemba.db --to postgres://…`: moves a SQLite install to
 * PostgreSQL (src/db/copy.ts) and prints the row counts of every table on both sides. Exits 0 when
 * every count matches, 1 when the copy failed or a count differs (nothing committed), 2 for bad
 * arguments. The URL is printed without its password.
 */
async function main(): Promise<number> {
  const args = parseCopyArgs(process.argv.slice(2));
  if ('help' in args) {
    process.stdout.write(`${COPY_USAGE}\n`);
    return 0;
  }
  if ('error' in args) {
    // The usage's example URL shows where a password goes: only the message is masked.
    process.stderr.write(`${redactSecrets(args.error)}\n${COPY_USAGE}\n`);
    return 2;
  }
  const target = redactUrl(args.to);
  out(`copying ${args.from} (and its anonymous store) into ${target}\n`);
  const started = Date.now();
  try {
    const result = await copySqliteToPostgres(args.from, args.to, {
      onTable: (table, rows) => out(`  ${table}: ${rows} rows\n`),
      onWarning: (text) => err(`warning: ${text}\n`),
    });
    if (result.sourceApplied.length) out(`SQLite file brought up to date first: ${result.sourceApplied.join(', ')}\n`);
    await analyzeTarget(args.to).catch(() => undefined);
    out(`${countTable(result.counts)}\n`);
    const rows = result.counts.reduce((s, c) => s + c.target, 0);
    out(`done: ${rows} rows in ${result.counts.length} tables, every count matches (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
    out(`start Gemba with DATABASE_URL=${target} (and the password) to run on PostgreSQL\n`);
    return 0;
  } catch (e) {
    if (!(e instanceof CopyError)) throw e;
    if (e.counts) err(`${countTable(e.counts)}\n`);
    err(`db:copy failed: ${e.message.replaceAll(args.to, target)}\n`);
    return 1;
  }
}

/** One line per table: SQLite count, PostgreSQL count, ok or MISMATCH. */
function countTable(counts: TableCount[]): string {
  const w = Math.max(5, ...counts.map((c) => c.table.length));
  const n = Math.max(6, ...counts.map((c) => String(Math.max(c.source, c.target)).length));
  const head = `${'table'.padEnd(w)}  ${'sqlite'.padStart(n)}  ${'postgres'.padStart(Math.max(n, 8))}`;
  return [
    head,
    ...counts.map(
      (c) =>
        `${c.table.padEnd(w)}  ${String(c.source).padStart(n)}  ${String(c.target).padStart(Math.max(n, 8))}  ${c.source === c.target ? 'ok' : 'MISMATCH'}`,
    ),
  ].join('\n');
}

main().then(
  (code) => process.exit(code),
  (e) => {
    err(`db:copy failed: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
