/**
 * The in-process scheduler: node-cron only supplies a heartbeat; each tick asks every job what is
 * due at the injected clock's instant. SCHEDULER_ENABLED=false schedules nothing, but the tick
 * can still be run by hand.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import cron from 'node-cron';
import { loadConfig } from '../../src/config.js';
import { startScheduler, TICK_EXPRESSION } from '../../src/jobs/scheduler.js';
import { type Harness, harnessPerTest } from '../kit/harness.js';
import { assertSurfacesValid, at, cacheTz, enroll, posts, seedTeam } from './support.js';

let h: Harness | undefined;
const harness = harnessPerTest();

const tickNames = () => [...cron.getTasks().values()].map((t) => t.name).filter((n) => n === 'gemba-tick');

describe('scheduler', () => {
  it('enabled: false schedules no cron task; its tick still runs the due jobs', async () => {
    h = await harness({ now: '2026-11-30T08:55:00Z' });
    const before = cron.getTasks().size;
    const scheduler = startScheduler(h.ctx, { enabled: false });
    assert.equal(cron.getTasks().size, before, 'no cron task');
    await enroll(h, 'U1', '2026-11-01T00:00:00Z');
    await cacheTz(h, 'U1', 'UTC');
    await scheduler.tick();
    assert.equal(posts(h).length, 0, '08:55: nothing due');
    h.clock.set(at('2026-11-30T09:00:00Z'));
    await scheduler.tick();
    assert.equal(posts(h, 'U1').length, 1);
    await scheduler.stop();
    assert.equal(cron.getTasks().size, before);
  });

  it('SCHEDULER_ENABLED=false is read as off (the default is on)', () => {
    const base = { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 'secret', ANONYMITY_KEY: 'k'.repeat(32) };
    assert.equal(loadConfig({ ...base, SCHEDULER_ENABLED: 'false' }).schedulerEnabled, false);
    assert.equal(loadConfig(base).schedulerEnabled, true);
  });

  it('enabled: true registers one heartbeat every few minutes, and stop removes it', async () => {
    h = await harness();
    assert.equal(TICK_EXPRESSION, '*/5 * * * *');
    assert.ok(cron.validate(TICK_EXPRESSION));
    const before = tickNames().length;
    const scheduler = startScheduler(h.ctx, { enabled: true });
    assert.equal(tickNames().length, before + 1);
    await scheduler.stop();
    assert.equal(tickNames().length, before, 'a stopped scheduler leaves nothing in node-cron');
  });

  it('each tick runs what is due at the clock: nudges and the leaderboard at 09:00, the digest at 09:30, nothing twice', async () => {
    h = await harness({ now: '2026-11-30T09:00:00Z', env: { LEADERBOARD_CHANNEL: 'CLEAD', DIGEST_CHANNEL: 'CDIGEST' } });
    await seedTeam(h);
    for (const u of ['UA', 'UB', 'UC', 'UD', 'UE', 'UZERO', 'UNEVER']) await cacheTz(h, u, 'UTC');
    const scheduler = startScheduler(h.ctx, { enabled: false });
    await scheduler.tick();
    assert.equal(posts(h, 'CLEAD').length, 1);
    assert.equal(posts(h, 'CDIGEST').length, 0);
    // Quiet for 7+ days on Monday 30 Nov: UNEVER (never logged) and UZERO (last 17 Nov).
    assert.deepEqual(
      posts(h)
        .filter((c) => /^U/.test(c.args.channel))
        .map((c) => c.args.channel)
        .sort(),
      ['UNEVER', 'UZERO'],
    );
    h.clock.set(at('2026-11-30T09:30:00Z'));
    await scheduler.tick();
    assert.equal(posts(h, 'CDIGEST').length, 1);
    const total = posts(h).length;
    for (const t of ['2026-11-30T09:35:00Z', '2026-11-30T15:00:00Z', '2026-11-30T23:55:00Z']) {
      h.clock.set(at(t));
      await scheduler.tick();
    }
    assert.equal(posts(h).length, total, 'no job posted twice in its period');
    // Wednesday: the weekly posts are done for the week; UA…UE (last conversation 24 Nov) are now
    // 8 days quiet; UNEVER and UZERO are in their 3-day cool-down.
    h.clock.set(at('2026-12-02T09:00:00Z'));
    await scheduler.tick();
    assert.deepEqual(
      posts(h)
        .slice(total)
        .map((c) => c.args.channel)
        .sort(),
      ['UA', 'UB', 'UC', 'UD', 'UE'],
    );
    await scheduler.stop();
    assertSurfacesValid(h);
  });

  it('ticks never overlap: a tick asked for while one runs gets the running one', async () => {
    h = await harness({ now: '2026-11-30T09:00:00Z' });
    await enroll(h, 'U1', '2026-11-01T00:00:00Z');
    await cacheTz(h, 'U1', 'UTC');
    h.fake.delayMs = 30;
    const scheduler = startScheduler(h.ctx, { enabled: false });
    const a = scheduler.tick();
    const b = scheduler.tick();
    assert.equal(a, b);
    await Promise.all([a, b]);
    h.fake.delayMs = 0;
    assert.equal(posts(h, 'U1').length, 1);
    await scheduler.stop();
  });
});
