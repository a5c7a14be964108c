/**
 * The sandbox's page server, driven over HTTP as its page drives it (POST /do/… as JSON, GET /pane,
 * GET /files/…): the clock reaches the evening flag publish, mentions typed by name arrive escaped,
 * a reply sent through response_url after the ack is on the page when the command returns, files are
 * served as what they are, and requests that are not the page's own are refused.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createLogger } from '../../src/lib/logger.js';
import { localDate, localHour } from '../../src/lib/time.js';
import { TEAM_TIMEZONE } from '../../src/sandbox/demo-team.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/sandbox.js';
import { inspectorFor } from '../kit/engine.js';

const quiet = createLogger('warn', { write: () => undefined });

describe('the sandbox page server', { timeout: 180_000 }, () => {
  let sandbox: Sandbox;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gemba-sandbox-page-'));
    sandbox = await startSandbox({ dataDir: dir, port: 0, logger: quiet });
  });
  after(async () => {
    await sandbox?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const act = async (what: string, body: Record<string, unknown>) => {
    const res = await fetch(`${sandbox.url}/do/${what}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    assert.equal(res.status, 200, await res.clone().text());
    return (await res.json()) as { ok: boolean };
  };
  const command = (user: string, text: string, channel = `D${user}`) => act('command', { user, channel, text });
  /** The last thing `user` sees in `channel`, as text (blocks included). */
  const lastSeen = (user: string, channel = `D${user}`): string => {
    const m = sandbox.workspace.timeline(channel, user).at(-1);
    return m ? `${m.text}\n${JSON.stringify(m.blocks ?? [])}` : '';
  };
  const now = () => sandbox.ctx.clock.now();

  describe('the clock reaches the daily flag publish', () => {
    it('a flag made in the sandbox is published by the publish button, and by a clock move that passes the publish hour', async () => {
      // Start from a working-day morning, before the publish hour.
      await act('clock', { to: 'day' });
      assert.equal(localHour(now(), TEAM_TIMEZONE), 9);
      const listed = async (tactic: string) => {
        await command('UREP02', '/flag-tactic list');
        return lastSeen('UREP02').includes(tactic);
      };

      await command('UREP01', '/flag-tactic trade-show giveaways: nobody we meet there buys');
      assert.match(lastSeen('UREP01'), /Recorded anonymously: trade-show giveaways/);
      assert.match(lastSeen('UREP01'), /18:00 today/);
      assert.equal(await listed('trade-show giveaways'), false, 'invisible until the publish');

      const day = localDate(now(), TEAM_TIMEZONE);
      await act('clock', { to: 'publish' });
      assert.equal(localDate(now(), TEAM_TIMEZONE), day, 'the same day');
      assert.equal(localHour(now(), TEAM_TIMEZONE), 18);
      assert.equal(await listed('trade-show giveaways'), true, 'published at 18:00');

      // A flag made the next morning, then the clock moved to the working day after: it passes 18:00.
      await act('clock', { to: 'day' });
      await command('UREP03', '/flag-tactic fax campaigns: nobody owns a fax');
      assert.equal(await listed('fax campaigns'), false);
      await act('clock', { to: 'day' });
      assert.equal(localHour(now(), TEAM_TIMEZONE), 9);
      assert.equal(await listed('fax campaigns'), true, 'the publish the move passed ran, as the heartbeat would have');
    });

    it("the clock shows the team's time, named, in which its buttons' hours are read, also after an admin changes the zone", async () => {
      const shown = async () => /data-now="([^"]*)"/.exec(await (await fetch(`${sandbox.url}/pane?as=UADM01&pane=DUADM01`)).text())?.[1];
      await act('clock', { to: 'day' });
      assert.match((await shown()) ?? '', /, 09:00 New York time$/);
      await command('UADM01', '/gemba admin timezone Europe/Berlin');
      try {
        await act('clock', { to: 'day' });
        // Shown in New York time, the move to 09:00 read "03:00".
        assert.match((await shown()) ?? '', /, 09:00 Berlin time$/);
      } finally {
        await command('UADM01', `/gemba admin timezone ${TEAM_TIMEZONE}`);
      }
    });

    it('an unknown clock move is refused', async () => {
      const res = await fetch(`${sandbox.url}/do/clock`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ to: 'yesterday' }),
      });
      assert.equal(res.status, 400);
      await res.text();
    });
  });

  describe('mentions typed by name', () => {
    it('@display name, #channel and @user group arrive escaped, as Slack sends what was picked', async () => {
      await command('UVP001', '/trends @Ben Carter');
      assert.match(lastSeen('UVP001'), /<@UMGR07>'s buyer conversations, last 8 weeks/);
      await command('UVP001', '/trends @ben carter 4');
      assert.match(lastSeen('UVP001'), /<@UMGR07>'s buyer conversations, last 4 weeks/);

      await command('UADM01', '/gemba admin managers add @Jordan Blake');
      assert.match(lastSeen('UADM01'), /Added 1 manager: <@UREP01>/);
      await command('UADM01', '/gemba admin managers remove @jordan.blake');
      assert.match(lastSeen('UADM01'), /Removed 1 manager: <@UREP01>/);
      await command('UADM01', '/gemba admin channel leaderboard #sales-leaderboard');
      assert.match(lastSeen('UADM01'), /The leaderboard channel is now <#C0SALESLB>/);
      await command('UADM01', '/gemba admin reps sync @sales-reps');
      assert.match(lastSeen('UADM01'), /Reps are now the members of <!subteam\^S0REPS>/);
    });

    it('the &, < and > typed arrive escaped, as Slack sends them: a tactic keeps its angle brackets', async () => {
      await command('UREP05', '/flag-tactic <b>blitz</b> & spam calls');
      // Sent raw, `<b>` and `</b>` read as Slack links and the tactic became "bblitz/b & spam calls".
      assert.match(lastSeen('UREP05'), /Recorded anonymously: \*&lt;b&gt;blitz&lt;\/b&gt; &amp; spam calls\*/);
    });

    it('what names nobody is left as typed (and refused by Gemba as in Slack)', async () => {
      await command('UVP001', '/trends @Nobody Here');
      assert.doesNotMatch(lastSeen('UVP001'), /buyer conversations/);
      assert.match(lastSeen('UVP001'), /Nobody/);
    });
  });

  it("a reply the app sends through response_url after an empty ack is on the page when the command returns (a rep's /gemba admin)", async () => {
    // users.info answers slowly, so the refusal comes well after the ack.
    sandbox.simulator.delayMs = 150;
    try {
      await command('UREP04', '/gemba admin target 4');
    } finally {
      sandbox.simulator.delayMs = 0;
    }
    const pane = await (await fetch(`${sandbox.url}/pane?as=UREP04&pane=DUREP04`)).text();
    assert.match(pane, /That is for Gemba admins/);
    assert.doesNotMatch(pane, /your settings/, 'not the /gemba help');
    assert.equal(await sandbox.ctx.services.settings.forTeam('T0SANDBOX').then((s) => s.weeklyTarget), 3, 'nothing changed');
  });

  describe('files', () => {
    it("the admin's CSV export is a download link with its name, served as text/csv", async () => {
      await command('UADM01', '/gemba admin export');
      const pane = await (await fetch(`${sandbox.url}/pane?as=UADM01&pane=DUADM01`)).text();
      const link = /<a class="file" href="(\/files\/F[A-Z0-9]+)" download="(gemba-conversations-[\d-]+\.csv)">/.exec(pane);
      assert.ok(link, 'a download link, not an <img>');
      assert.doesNotMatch(pane, /<img src="\/files\/[^"]+" alt="Gemba conversations export/);
      const res = await fetch(`${sandbox.url}${link[1]}`);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'text/csv; charset=utf-8');
      assert.match(res.headers.get('content-disposition') ?? '', new RegExp(`attachment; filename="${link[2]}"`));
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
      assert.match(await res.text(), /^[^\n]*account/i);
    });

    it('a chart is an <img> whose alt is the alt text sent at files.getUploadURLExternal, served as image/png', async () => {
      // The next weekly post: its chart is uploaded with alt text stating its numbers.
      const uploads = sandbox.simulator.callsTo('files.getUploadURLExternal');
      await act('clock', { to: 'monday' });
      const chart = sandbox.simulator.callsTo('files.getUploadURLExternal').find((c) => !uploads.includes(c));
      assert.ok(chart, 'a chart was uploaded');
      const fileId = String((chart.response as { file_id: string }).file_id);
      const alt = String(chart.args.alt_txt);
      assert.ok(alt.length > 20);
      const panes = await Promise.all(
        ['C0SALESLB', 'C0SALESVP'].map(async (p) => (await fetch(`${sandbox.url}/pane?as=UVP001&pane=${p}`)).text()),
      );
      const img = new RegExp(`<img src="/files/${fileId}" alt="([^"]*)" width="\\d+" height="\\d+">`).exec(panes.join(''));
      assert.ok(img, 'the chart is shown');
      assert.equal(
        img[1]
          .replace(/&#39;/g, "'")
          .replace(/&quot;/g, '"')
          .replace(/&amp;/g, '&'),
        alt,
      );
      const res = await fetch(`${sandbox.url}/files/${fileId}`);
      assert.equal(res.headers.get('content-type'), 'image/png');
      assert.equal(res.headers.get('content-disposition'), null);
      assert.deepEqual([...new Uint8Array(await res.arrayBuffer()).slice(1, 4)], [0x50, 0x4e, 0x47]);
    });

    it('an unknown or malformed file id is a 404', async () => {
      for (const id of ['F0NOPE', '..%2Fsandbox.db', 'sandbox-workspace.json']) {
        const res = await fetch(`${sandbox.url}/files/${id}`);
        assert.equal(res.status, 404, id);
        await res.text();
      }
    });
  });

  describe('only its own page may drive it', () => {
    /** A raw request, with exactly the headers given (fetch would set Host and Origin itself). */
    const raw = (method: string, path: string, headers: Record<string, string>, body = ''): Promise<{ status: number; text: string }> =>
      new Promise((resolve, reject) => {
        const { port } = new URL(sandbox.url);
        const req = request(
          { host: '127.0.0.1', port, method, path, headers: { ...headers, 'content-length': Buffer.byteLength(body) } },
          (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (c: string) => {
              text += c;
            });
            res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    const host = () => new URL(sandbox.url).host;
    const forget = JSON.stringify({ user: 'UADM01', channel: 'DUADM01', text: '/gemba admin forget @Dana Lee' });

    it('refuses a cross-site form post (text/plain, foreign Origin), a foreign Host and a foreign Origin, and does nothing', async () => {
      const before = sandbox.workspace.version;
      const contacts = await inspectorFor(sandbox.ctx.storage).count('contacts');
      const attempts: Array<[string, Record<string, string>]> = [
        ['a form post from another site', { host: host(), origin: 'https://evil.example', 'content-type': 'text/plain' }],
        ['text/plain from no stated origin', { host: host(), 'content-type': 'text/plain' }],
        ['a form-encoded post', { host: host(), 'content-type': 'application/x-www-form-urlencoded' }],
        ['JSON from another origin', { host: host(), origin: 'http://localhost:9999', 'content-type': 'application/json' }],
        ['JSON a browser says is cross-site', { host: host(), 'sec-fetch-site': 'cross-site', 'content-type': 'application/json' }],
        ['a DNS-rebound host name', { host: `evil.example:${new URL(sandbox.url).port}`, 'content-type': 'application/json' }],
        ['another port', { host: '127.0.0.1:1', 'content-type': 'application/json' }],
      ];
      for (const [what, headers] of attempts) {
        const res = await raw('POST', '/do/command', headers, forget);
        assert.equal(res.status, 403, what);
        assert.match(res.text, /^Refused: /, what);
      }
      assert.equal(sandbox.workspace.version, before, 'nothing happened');
      assert.equal(await inspectorFor(sandbox.ctx.storage).count('contacts'), contacts, 'nobody was forgotten');
      // Reads under a foreign host name are refused too (a rebound page could read the timelines).
      assert.equal((await raw('GET', '/pane?as=UADM01&pane=DUADM01', { host: 'evil.example' })).status, 403);
    });

    it("accepts its own page's requests", async () => {
      const ok = await raw(
        'POST',
        '/do/command',
        { host: host(), origin: `http://${host()}`, 'sec-fetch-site': 'same-origin', 'content-type': 'application/json' },
        JSON.stringify({ user: 'UMGR01', channel: 'DUMGR01', text: '/gemba help' }),
      );
      assert.equal(ok.status, 200);
      assert.equal((await raw('GET', '/', { host: `localhost:${new URL(sandbox.url).port}` })).status, 200);
    });
  });
});
