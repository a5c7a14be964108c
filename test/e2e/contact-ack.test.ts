/**
 * The lean `/contact` ack on this pass's engine (SQLite, or PostgreSQL with TEST_ENGINE=postgres):
 * the scenarios in lean-ack.ts, through signed requests to the real app.
 */
import { describe } from 'node:test';
import { harnessPerTest } from '../kit/harness.js';
import { leanAckScenarios } from './lean-ack.js';

const harness = harnessPerTest();

describe('/contact one-liner: one unit of work before the ack', () => {
  leanAckScenarios(harness);
});
