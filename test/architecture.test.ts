/**
 * The layering the folder READMEs describe, checked by reading every import in src/:
 * listeners speak to services (never db/ or jobs/), blocks never reach the database, jobs and
 * services never reach listeners.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';

const SRC = resolve(import.meta.dirname, '../src');

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** Every relative import of a file, as a path under src/ (e.g. 'db/repos/contacts.ts'). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/^(?:import|export)\s[^;]*?from\s+'(\.[^']+)'/gms)].map((m) => m[1]);
  return specs.map((s) => relative(SRC, resolve(join(file, '..'), s)).replace(/\.js$/, '.ts'));
}

/** Files of a layer whose imports fall under any of the forbidden folders. */
function violations(layer: string, forbidden: string[]): string[] {
  return filesUnder(join(SRC, layer)).flatMap((f) =>
    importsOf(f)
      .filter((i) => forbidden.some((x) => i === x || i.startsWith(`${x}/`)))
      .map((i) => `${relative(SRC, f)} imports ${i}`),
  );
}

describe('architecture: imports follow the layers', () => {
  it('listeners import no db/ and no jobs/ (they speak to services)', () => {
    assert.deepEqual(violations('listeners', ['db', 'jobs']), []);
  });

  it('listeners do not reach repositories or storage through the context', () => {
    const found = filesUnder(join(SRC, 'listeners')).filter((f) => /\bctx\.(repos|storage)\b/.test(readFileSync(f, 'utf8')));
    assert.deepEqual(
      found.map((f) => relative(SRC, f)),
      [],
    );
  });

  it('blocks import no db/, jobs/, listeners/, slack/ and not the context (builders cannot query)', () => {
    assert.deepEqual(violations('blocks', ['db', 'jobs', 'listeners', 'slack', 'context.ts']), []);
  });

  it('jobs import no listeners/', () => {
    assert.deepEqual(violations('jobs', ['listeners']), []);
  });

  it('services import no listeners/, jobs/, blocks/ or slack/', () => {
    assert.deepEqual(violations('services', ['listeners', 'jobs', 'blocks', 'slack']), []);
  });

  it('db/ and lib/ import nothing above them', () => {
    assert.deepEqual(violations('db', ['services', 'listeners', 'jobs', 'blocks', 'slack']), []);
    assert.deepEqual(violations('lib', ['db', 'services', 'listeners', 'jobs', 'blocks', 'slack']), []);
  });

  it('the scan sees imports (a known one is found)', () => {
    assert.ok(importsOf(join(SRC, 'jobs/digest.ts')).includes('blocks/digest.ts'));
  });
});
