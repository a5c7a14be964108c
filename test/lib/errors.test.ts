/**
 * isStorageUnavailable: which database failures are the operator's (the user reads "nothing was
 * recorded, try again later") and which are bugs. Real errors of both drivers where they are cheap
 * to make (SQLite), their exact shapes otherwise (node-postgres: DatabaseError with a SQLSTATE code,
 * socket errors with an errno code, a lost connection as a plain Error).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import pg from 'pg';
import { asGembaError, ErrorCode, isStorageUnavailable } from '../../src/lib/errors.js';

/** A node-postgres server error, as the driver builds it from an ErrorResponse. */
function pgError(code: string, message: string): pg.DatabaseError {
  const err = new pg.DatabaseError(message, message.length, 'error');
  err.code = code;
  err.severity = 'ERROR';
  return err;
}

function socketError(code: string): NodeJS.ErrnoException {
  const err: NodeJS.ErrnoException = new Error(`connect ${code} 127.0.0.1:5432`);
  err.code = code;
  err.syscall = 'connect';
  return err;
}

describe('isStorageUnavailable', () => {
  it('SQLite: read-only and full files are the operator’s problem', () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE t (x)');
    db.pragma('query_only = ON');
    assert.throws(
      () => db.exec('INSERT INTO t VALUES (1)'),
      (err) => isStorageUnavailable(err),
    );
    db.close();
    const fake = Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    assert.equal(isStorageUnavailable(fake), true);
  });

  const unavailable: Array<[string, unknown]> = [
    ['25006 read-only transaction', pgError('25006', 'cannot execute INSERT in a read-only transaction')],
    ['53100 disk full', pgError('53100', 'could not extend file: No space left on device')],
    ['53200 out of memory', pgError('53200', 'out of memory')],
    ['53300 too many connections', pgError('53300', 'sorry, too many clients already')],
    ['08006 connection failure', pgError('08006', 'connection failure')],
    ['08001 cannot connect', pgError('08001', 'could not connect to server')],
    ['57P01 admin shutdown', pgError('57P01', 'terminating connection due to administrator command')],
    ['57P02 crash shutdown', pgError('57P02', 'terminating connection because of crash of another server process')],
    ['57P03 cannot connect now', pgError('57P03', 'the database system is starting up')],
    ['ECONNREFUSED', socketError('ECONNREFUSED')],
    ['ECONNRESET', socketError('ECONNRESET')],
    ['ETIMEDOUT', socketError('ETIMEDOUT')],
    ['connection terminated', new Error('Connection terminated unexpectedly')],
    ['connect timeout', new Error('Connection terminated due to connection timeout')],
    ['pool connect timeout', new Error('timeout exceeded when trying to connect')],
  ];
  for (const [what, err] of unavailable) {
    it(`PostgreSQL: ${what} is storage unavailable`, () => {
      assert.equal(isStorageUnavailable(err), true);
      assert.equal(asGembaError(err).code, ErrorCode.StorageUnavailable);
    });
  }

  const bugs: Array<[string, unknown]> = [
    ['23505 unique violation', pgError('23505', 'duplicate key value violates unique constraint')],
    ['42P01 undefined table', pgError('42P01', 'relation "nope" does not exist')],
    ['42601 syntax error', pgError('42601', 'syntax error at or near "SELEC"')],
    ['25P02 aborted transaction', pgError('25P02', 'current transaction is aborted')],
    ['57014 statement cancelled', pgError('57014', 'canceling statement due to statement timeout')],
    ['SQLITE_CONSTRAINT', Object.assign(new Error('UNIQUE constraint failed'), { code: 'SQLITE_CONSTRAINT_UNIQUE' })],
    ['a Slack API error', Object.assign(new Error('An API error occurred: channel_not_found'), { code: 'slack_webapi_platform_error' })],
    ['a TypeError', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['a string', 'Connection terminated'],
    ['a coded error whose message only looks like a lost connection', Object.assign(new Error('Connection terminated'), { code: 'X' })],
  ];
  for (const [what, err] of bugs) {
    it(`${what} is not`, () => {
      assert.equal(isStorageUnavailable(err), false);
      assert.notEqual(asGembaError(err).code, ErrorCode.StorageUnavailable);
    });
  }
});
