/** Configuration helpers shared by the config tests. */
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../../src/config.js';

/** The problems loadConfig reports for `env` (none when it loads). */
export function configProblems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    return err.problems;
  }
  return [];
}
