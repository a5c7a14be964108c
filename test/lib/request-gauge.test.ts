import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { createLogger } from '../../src/lib/logger.js';
import { RequestGauge } from '../../src/lib/request-gauge.js';
import { guardSlackRequests } from '../../src/slack/request-guard.js';
import { slashCommand } from '../kit/payloads.js';
import { signSlackRequest } from '../kit/sign.js';

describe('RequestGauge', () => {
  it('counts requests in and out, each leaving once however often its end is reported', () => {
    const gauge = new RequestGauge();
    const a = gauge.enter();
    const b = gauge.enter();
    assert.equal(gauge.inFlight, 2);
    a();
    a(); // 'finish' then 'close' for the same response
    assert.equal(gauge.inFlight, 1);
    b();
    assert.equal(gauge.inFlight, 0);
  });

  it('the request guard counts a Slack request while it is handled, and not a health check', async () => {
    const gauge = new RequestGauge();
    const seen: number[] = [];
    const listener = guardSlackRequests(
      (_req, res) => {
        seen.push(gauge.inFlight);
        setTimeout(() => res.writeHead(200).end(), 10);
      },
      { signingSecret: 'secret', claimSignature: async () => true, logger: createLogger('error'), gauge },
    );
    const server = createServer(listener).listen(0);
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const post = () => {
        const p = slashCommand({ command: '/contact', text: 'help' });
        return fetch(`${url}/slack/events`, {
          method: 'POST',
          headers: { ...signSlackRequest('secret', p.body), 'content-type': p.contentType },
          body: p.body,
        });
      };
      await Promise.all([post(), post()]);
      assert.deepEqual(seen.sort(), [1, 2], 'the second arrived while the first was in flight');
      await (await fetch(`${url}/healthz`)).text();
      assert.equal(seen.at(-1), 0, 'GET /healthz is not a Slack request');
      assert.equal(gauge.inFlight, 0, 'both left once answered');
    } finally {
      server.close();
    }
  });
});
