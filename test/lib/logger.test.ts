/** What Bolt's and the Web API client's own log lines may not carry, at any level. */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { createLogger, redactSecrets, redactUserIds, toBoltLogger } from '../../src/lib/logger.js';

/** Bolt's logger adapter over a logger at debug, and what it has written so far. */
function boltAtDebug() {
  let out = '';
  const sink = new Writable({
    write(chunk, _e, cb) {
      out += chunk.toString();
      cb();
    },
  });
  return { bolt: toBoltLogger(createLogger('debug', sink)), written: () => out };
}

describe('vendor log redaction', () => {
  it('drops the query of a request target Bolt logs (Socket Mode logs an unmatched URL whole)', () => {
    assert.equal(
      redactSecrets('An unhandled HTTP request (GET) made to /slack/x?code=secret-code&state=s was ignored'),
      'An unhandled HTTP request (GET) made to /slack/x?[query redacted] was ignored',
    );
    assert.equal(redactSecrets('Unhandled HTTP request (GET) made to /nope'), 'Unhandled HTTP request (GET) made to /nope');
  });

  it('drops OAuth credentials, tokens and user ids', () => {
    assert.equal(
      redactSecrets('{"code":"abc","client_secret":"s"} xoxb-1-2-abc'),
      '{"code":"[redacted]","client_secret":"[redacted]"} [token]',
    );
    assert.equal(redactUserIds('users.info {"user":"U0123ABC"}'), 'users.info {"user":"[user]"}');
  });

  it("keeps the SDKs' own upper-case words (Socket Mode's errors stay readable)", () => {
    assert.equal(
      redactUserIds('Failed to retrieve a new WSS URL (error: apps.connections.open did not return a URL!) for U0123ABC'),
      'Failed to retrieve a new WSS URL (error: apps.connections.open did not return a URL!) for [user]',
    );
  });

  it('applies to every line through the Bolt adapter', () => {
    const { bolt, written } = boltAtDebug();
    bolt.info('An unhandled HTTP request (GET) made to /x?code=leak-me was ignored');
    assert.ok(!written().includes('leak-me'), written());
  });

  it('never writes a vendor debug line, even at LOG_LEVEL=debug (payloads, results and their times)', () => {
    const { bolt, written } = boltAtDebug();
    bolt.debug('http request result: {"ok":true,"user":{"real_name":"Jane Quixotic"}}');
    assert.equal(written(), '');
    bolt.warn('a warning still gets through');
    assert.match(written(), /a warning still gets through/);
  });
});
