/**
 * Preloaded into an app child process (`node --import tsx --import <this file> src/main.ts`):
 * the app's clock (`systemClock`, what main.ts injects) starts at TEST_CLOCK_START and runs at
 * wall-clock speed, so a test can start real processes on a chosen Monday morning. Request
 * signatures and Slack's Retry-After keep the real clock (they read Date.now, not the app clock).
 * With TEST_CLOCK_LANE (below) each process keeps to its own lane of milliseconds.
 */
import { systemClock } from '../../src/lib/clock.js';

const start = Date.parse(process.env.TEST_CLOCK_START ?? '');
if (Number.isNaN(start)) throw new Error('shifted-clock: set TEST_CLOCK_START to an ISO instant');
const offset = start - Date.now();
// TEST_CLOCK_LANE="i/n": this process's instants are ≡ i (mod n) ms, so two processes' instants (the
// claimed_at of their claims) can never coincide and a test can tell whose claim a row is.
const laneText = process.env.TEST_CLOCK_LANE ?? '';
const lane = /^(\d+)\/(\d+)$/.exec(laneText);
if (laneText !== '' && !lane) throw new Error(`shifted-clock: TEST_CLOCK_LANE must be i/n, got "${laneText}"`);
const [residue, lanes] = lane ? [Number(lane[1]), Number(lane[2])] : [0, 1];
if (residue >= lanes) throw new Error('shifted-clock: TEST_CLOCK_LANE must be i/n with i < n');
systemClock.now = () => {
  const t = Date.now() + offset;
  return t - (((t % lanes) + lanes) % lanes) + residue;
};
