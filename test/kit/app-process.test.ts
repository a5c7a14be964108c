import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { listensOn } from './app-process.js';

test('listensOn tells the process holding a listening port from any other', async (t) => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => server.close());
  const { port } = server.address() as AddressInfo;
  assert.equal(listensOn(process.pid, port), true);
  const other = spawn('sleep', ['5']);
  t.after(() => other.kill());
  assert.equal(listensOn(other.pid, port), false, 'another process does not hold it');
  server.close();
  await new Promise((r) => server.once('close', r));
  assert.equal(listensOn(process.pid, port), false, 'nothing listens once closed');
});
