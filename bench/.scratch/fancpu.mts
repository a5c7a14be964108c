import { runFanoutBench } from '../fanout.ts';
const c0 = process.cpuUsage(); const t0 = performance.now();
const r = await runFanoutBench({ managers: 2000, perSecond: 1e6, retryAfter: 1 }, console.error);
const c = process.cpuUsage(c0);
console.log('parent cpu s', (c.user + c.system) / 1e6, 'wall', (performance.now() - t0) / 1000, 'posting', r.postingSeconds);
