// The fake Graph API in a process of its own (see fake-graph-process.ts): started by a test, never by hand.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startFakeGraphApi, textOf } from './fake-graph-api.js';

const graph = await startFakeGraphApi({ accessToken: process.env.FAKE_GRAPH_ACCESS_TOKEN });
// GET /sent: what arrived so far, with when, for the test to read.
const control = http.createServer((req, res) => {
  if (req.method !== 'GET' || req.url !== '/sent') {
    res.writeHead(404).end();
    return;
  }
  const sent = graph.sent.map((m) => ({ to: m.to, at: m.at.toISOString(), text: textOf(m) }));
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(sent));
});
control.listen(0, '127.0.0.1', () => {
  const { port } = control.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ graphUrl: graph.baseUrl, controlUrl: `http://127.0.0.1:${port}` })}\n`);
});
