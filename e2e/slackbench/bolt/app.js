// Slack's Bolt for JavaScript answering /waarde with a constant: the
// third server of e2e/slackbench (go run ./e2e/slackbench -bolt), which
// issue 18 measures waardenbot's throughput against ("at least 4× Slack's
// Bolt", in the same run).
//
// It is a Bolt app as Bolt's documentation writes one, with Bolt's default
// receiver (the HTTPReceiver on node:http), so that Bolt does what it does
// for every app: read the body, verify Slack's v0 signature (Bolt refuses
// a request that fails with 401), parse the form, run its middleware
// (ignoreSelf, the conversation store), authorize, and hand the command to
// the listener, whose ack() answers in the HTTP response. The answer is a
// constant of the same size as the bare handler's (e2e/slackbench/bare,
// 1,500 bytes), and Bolt encodes it as JSON for every request, as it does
// for every app that acks with an object.
//
// authorize returns a dummy bot token, so that no request asks Slack's Web
// API who the bot is; the Web API is set to WAARDENBOT_SLACK_API_URL
// (slackbench: an address where nothing listens) in case anything asks
// anyway. Bolt logs at its default level (INFO), which writes nothing for
// an answered command.
//
// Environment, as slackbench gives it to every server:
//
//	WAARDENBOT_SLACK_LISTEN          host:port to listen on
//	WAARDENBOT_SLACK_SIGNING_SECRET  Slack signing secret
//	WAARDENBOT_SLACK_API_URL         Slack's Web API (optional)
//
// POST /slack/commands is the command endpoint, GET /healthz answers 200.
// It stops on SIGINT or SIGTERM.
'use strict';

const { App } = require('@slack/bolt');

// answerSize is the size of the answer in bytes: the bare handler's
// (its -size flag's default).
const answerSize = 1500;

// answer is an ephemeral answer of answerSize bytes, as JSON, that
// mentions Privacy.
const answer = (() => {
  const a = { response_type: 'ephemeral', text: '*Privacy* (constant)' };
  a.text += '.'.repeat(Math.max(0, answerSize - JSON.stringify(a).length));
  return a;
})();

// listenOptions splits host:port ("127.0.0.1:9400", "[::1]:9400",
// ":9400") into node:http's listen options.
function listenOptions(addr) {
  const m = /^(?:\[([^\]]*)\]|([^:]*)):(\d+)$/.exec(addr || '');
  if (m === null) {
    throw new Error(`WAARDENBOT_SLACK_LISTEN: want host:port, have ${JSON.stringify(addr)}`);
  }
  const host = m[1] ?? m[2];
  return { port: Number(m[3]), ...(host ? { host } : {}) };
}

async function main() {
  const listen = listenOptions(process.env.WAARDENBOT_SLACK_LISTEN);
  const apiURL = process.env.WAARDENBOT_SLACK_API_URL;
  const app = new App({
    signingSecret: process.env.WAARDENBOT_SLACK_SIGNING_SECRET,
    endpoints: '/slack/commands',
    authorize: async () => ({ botToken: 'xoxb-slackbench', botId: 'B0SLACKBENCH', botUserId: 'U0SLACKBENCHBOT' }),
    clientOptions: apiURL ? { slackApiUrl: apiURL } : {},
    customRoutes: [
      {
        path: '/healthz',
        method: ['GET'],
        handler: (_req, res) => {
          res.writeHead(200, { 'content-type': 'text/plain' });
          res.end('ok\n');
        },
      },
    ],
  });
  app.command('/waarde', async ({ ack }) => {
    await ack(answer);
  });
  const server = await app.start(listen);

  const stop = () => {
    // close stops listening and ends idle kept-alive connections; any
    // still busy get a second before they are cut.
    server.close(() => process.exit(0));
    server.closeIdleConnections();
    setTimeout(() => {
      server.closeAllConnections();
      process.exit(0);
    }, 1000).unref();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((err) => {
  console.error('bolt:', err);
  process.exit(1);
});
