/**
 * Preloaded into an app child process (`node --import tsx --import <this file> src/main.ts`):
 * the app's clock (`systemClock`, what main.ts injects) starts at TEST_CLOCK_START and runs at
 * wall-clock speed, so a test can start real processes on a chosen Monday morning. Request
 * signatures and Slack's Retry-After keep the real clock (they read Date.now, not the app clock).
 */
import { systemClock } from '../../src/lib/clock.js';

const start = Date.parse(process.env.TEST_CLOCK_START ?? '');
if (Number.isNaN(start)) throw new Error('shifted-clock: set TEST_CLOCK_START to an ISO instant');
const offset = start - Date.now();
systemClock.now = () => Date.now() + offset;
