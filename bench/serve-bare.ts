/**
 * The floor for this stack: a bare Bolt app (same version, same HTTP receiver, same signature
 * checks, processBeforeResponse false) whose /contact handler only acknowledges. Used by
 * bench/ack.ts; listens on PORT and answers GET /healthz once it is up; SIGTERM or SIGINT stops it.
 */
import bolt from '@slack/bolt';

const { App, LogLevel } = bolt;
const port = Number(process.env.PORT ?? 3000);
const app = new App({
  token: process.env.SLACK_BOT_TOKEN ?? 'xoxb-bench',
  signingSecret: process.env.SLACK_SIGNING_SECRET ?? 'bench',
  botId: 'BBOT',
  botUserId: 'UBOT',
  logLevel: LogLevel.WARN,
  clientOptions: { slackApiUrl: process.env.SLACK_API_URL },
  customRoutes: [{ path: '/healthz', method: ['GET'], handler: (_req, res) => void res.writeHead(200).end('{"status":"ok"}') }],
});
app.command('/contact', async ({ ack }) => {
  await ack();
});
await app.start(port);
const stop = () => void app.stop().finally(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
