// `npm run pm2:check`: the PM2 acceptance run. Two cluster instances of kinto-app on one PostgreSQL,
// 50 operators answering at once through signed webhooks, `pm2 restart kinto-app` half-way; then
// every checklist must be completed and no operator may have received any message twice.
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '../src/lib/db/embedded.js';
import { createLogger } from '../src/lib/logger.js';
import { sign } from '../src/whatsapp/signature.js';
import { startFakeGraphApi } from '../tests/support/fake-graph-api.js';
import { messagesDelivery, textMessage } from '../tests/support/meta-payloads.js';

const K = 50;
const TASKS = ['Check oil level', 'Check belt tension', 'Check emergency stop'];
const SECRET = 'pm2-check-app-secret';
const API = 'pm2-check-api-token';

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
const pm2 = (...args: string[]) =>
  execFileSync('npx', ['pm2', ...args], { stdio: 'pipe', env: process.env }).toString();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kinto-pm2-'));
fs.chmodSync(tmp, 0o755);
// A PM2 daemon of its own: on a server, never touch the real kinto-app.
process.env.PM2_HOME = path.join(tmp, 'pm2-home');
const pg = await startEmbeddedPostgres({
  dataDir: path.join(tmp, 'pg'),
  preferredPort: 0,
  database: 'kinto',
  logger: createLogger({ level: 'warn', pretty: false }),
});
const graph = await startFakeGraphApi({ accessToken: 'pm2-check-token' });
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
Object.assign(process.env, {
  KINTO_INSTANCES: '2',
  DATABASE_URL: pg.url,
  PORT: String(port),
  WHATSAPP_ACCESS_TOKEN: 'pm2-check-token',
  WHATSAPP_PHONE_NUMBER_ID: '106540352242922',
  WHATSAPP_VERIFY_TOKEN: 'pm2-check-verify',
  WHATSAPP_APP_SECRET: SECRET,
  WHATSAPP_API_BASE_URL: graph.baseUrl,
  API_TOKEN: API,
  SESSION_SECRET: 'pm2-check-session-secret-0123456789abcdef',
  WHATSAPP_PHOTOS_DIR: path.join(tmp, 'photos'),
  INBOX_SETTLE_MS: '300',
  LOG_LEVEL: 'warn',
});

const api = async (method: string, url: string, body?: object) => {
  const res = await fetch(`${base}${url}`, {
    method,
    headers: { authorization: `Bearer ${API}`, 'content-type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: (await res.json().catch(() => ({}))) as Record<string, unknown> };
};
/** Delivers like Meta: until it gets a 200 (a restart in progress gives connection errors or 5xx). */
const deliverUntilOk = async (payload: object) => {
  const raw = JSON.stringify(payload);
  for (let attempt = 0; attempt < 200; attempt++) {
    try {
      const res = await fetch(`${base}/api/whatsapp/webhook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(raw, SECRET) },
        body: raw,
      });
      if (res.status === 200) return;
    } catch {
      // the instance restarting: retry as Meta would
    }
    await sleep(100);
  }
  throw new Error('a delivery was never acknowledged');
};
const textsTo = (phone: string) => graph.textsTo(phone);
const waitFor = async (what: string, ok: () => boolean, ms = 60_000) => {
  for (const end = Date.now() + ms; !ok(); await sleep(50))
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
};

let failed: boolean; // set by the check or by its failure
try {
  pm2('delete', 'kinto-app').toString();
} catch {
  // not running: fine
}
try {
  console.log(
    pm2('start', 'ecosystem.config.js')
      .split('\n')
      .filter((l) => l.includes('kinto-app'))
      .join('\n'),
  );
  const template = await api('POST', '/api/templates', { name: 'PM2 check', tasks: TASKS.map((text) => ({ text })) });
  const machine = await api('POST', '/api/machines', { name: 'Press', code: `PM2-${Date.now()}` });
  const phones = Array.from(
    { length: K },
    (_, i) => `+9197${String(Date.now()).slice(-6)}${String(i).padStart(2, '0')}`,
  );
  for (const phone of phones) {
    const op = await api('POST', '/api/operators', { name: `Op ${phone}`, phoneNumber: phone });
    const a = await api('POST', '/api/assignments', {
      templateId: template.body.id,
      machineId: machine.body.id,
      operatorId: op.body.id,
    });
    if (a.status !== 201) throw new Error(`assignment: ${a.status} ${JSON.stringify(a.body)}`);
  }
  const answers = [...TASKS.map((_, i) => `OK - answer ${i + 1}`), 'CONFIRM'];
  let restarted = false;
  await Promise.all(
    phones.map(async (phone, p) => {
      for (let step = 0; step < answers.length; step++) {
        await waitFor(`${phone} step ${step}`, () => textsTo(phone).length > step);
        if (step === 2 && p === 0 && !restarted && !process.env.PM2_CHECK_NO_RESTART) {
          restarted = true;
          console.log('pm2 restart kinto-app (mid-way)');
          // Not execFileSync: the fake Graph API lives in this process and must keep answering meanwhile.
          await promisify(execFile)('npx', ['pm2', 'restart', 'kinto-app'], { env: process.env });
        }
        await deliverUntilOk(
          messagesDelivery([textMessage(phone, answers[step]!, { timestamp: Math.floor(Date.now() / 1000) + step })]),
        );
      }
      await waitFor(`${phone} thanks`, () => textsTo(phone).length > answers.length);
    }),
  );
  await sleep(1000); // any late duplicate would show up now
  let doubled = 0;
  const doubledTexts = new Map<string, number>();
  for (const phone of phones) {
    const texts = textsTo(phone);
    const seen = new Set<string>();
    const twice = texts.filter((t) => seen.has(t) || !seen.add(t));
    if (twice.length > 0) {
      doubled++;
      for (const t of twice) doubledTexts.set(t.split('\n')[0]!, (doubledTexts.get(t.split('\n')[0]!) ?? 0) + 1);
    }
  }
  for (const [t, n] of doubledTexts) console.log(`doubled ${n}x: ${t}`);
  if (doubled > 0) {
    const pgmod = await import('pg');
    const c = new pgmod.default.Client({ connectionString: pg.url });
    await c.connect();
    const dupRows = await c.query<{ phone_number: string; payload: string; count: string }>(
      `SELECT phone_number, payload::text, count(*) FROM whatsapp_outbox GROUP BY 1, 2 HAVING count(*) > 1 LIMIT 3`,
    );
    console.log(
      'outbox rows enqueued twice:',
      dupRows.rowCount,
      dupRows.rows.map((r) => String(r.payload).slice(0, 60)),
    );
    const inbox = await c.query(`SELECT status, attempts, count(*) FROM whatsapp_inbox GROUP BY 1, 2`);
    console.log('inbox:', inbox.rows);
    const att = await c.query(`SELECT attempts, status, count(*) FROM whatsapp_outbox GROUP BY 1, 2`);
    console.log('outbox attempts:', att.rows);
    await c.end();
  }
  const list = await api('GET', '/api/assignments?status=completed');
  const completed = (list.body.assignments as unknown[]).length;
  console.log(
    `completed checklists: ${completed}/${K}; phones with a doubled message: ${doubled}; messages sent: ${graph.sent.length}`,
  );
  failed = completed !== K || doubled > 0;
} catch (err) {
  failed = true;
  console.error(err);
} finally {
  try {
    pm2('delete', 'kinto-app');
  } catch {
    // already gone
  }
  try {
    execFileSync('npx', ['pm2', 'kill'], { stdio: 'pipe', env: process.env });
  } catch {
    // daemon already gone
  }
  await graph.close();
  await pg.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
}
console.log(failed ? 'PM2 check FAILED' : 'PM2 check passed');
process.exit(failed ? 1 : 0);
