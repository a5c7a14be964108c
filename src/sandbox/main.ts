import { sandboxEnv } from '../config.js';
import { createLogger, logDestination } from '../lib/logger.js';
import { startSandbox } from './sandbox.js';

/**
 * `npm run sandbox [-- --reset]`: Gemba with no Slack and no configuration. Data in
 * ./data/sandbox.db; `--reset` starts afresh. Ctrl-C (SIGINT) or SIGTERM stops it.
 */
async function main(): Promise<void> {
  const env = sandboxEnv();
  const format = env.LOG_FORMAT === 'json' || env.LOG_FORMAT === 'pretty' ? env.LOG_FORMAT : 'auto';
  const level = env.LOG_LEVEL === 'debug' || env.LOG_LEVEL === 'warn' || env.LOG_LEVEL === 'error' ? env.LOG_LEVEL : 'info';
  const logger = createLogger(level, logDestination(format));
  const started = Date.now();
  const sandbox = await startSandbox({ reset: process.argv.includes('--reset'), logger, env: { ...env, LOG_LEVEL: 'warn' } });
  process.stdout.write(`\nGemba sandbox is running (ready in ${((Date.now() - started) / 1000).toFixed(1)} s): open ${sandbox.url}\n`);
  process.stdout.write('A simulated Slack workspace on this machine only; nothing is sent to Slack. Ctrl-C stops it.\n\n');
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await sandbox.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((err) => {
  const code = (err as { code?: string }).code;
  process.stderr.write(
    `Gemba sandbox cannot start: ${code === 'EADDRINUSE' ? 'port in use — stop the other sandbox or set SANDBOX_PORT' : err instanceof Error ? err.message : String(err)}\n`,
  );
  process.exit(1);
});
