import { expect } from 'vitest';
import { createDb, createPool } from '../../src/lib/db/client.js';
import { createLogger } from '../../src/lib/logger.js';
import { createRuntime, type Runtime } from '../../src/runtime.js';
import { createGraphClient } from '../../src/whatsapp/graph-client.js';
import { graphMediaSource } from '../../src/whatsapp/media-source.js';
import { createMachine, createOperator, createTemplate } from './factories.js';
import { ACCESS_TOKEN, type Harness } from './harness.js';
import { deliver, messagesDelivery, newWamid, waId } from './meta-payloads.js';
import { settle } from './settle.js';
import type { AssignmentBody, SubmissionBody } from './api-bodies.js';

type Sent = Harness['graph']['sent'][number];

export const unixNow = () => Math.floor(Date.now() / 1000);

/** Rows of one SQL statement on the harness database. */
export async function rows<T extends object = Record<string, unknown>>(
  h: Harness,
  text: string,
  params: unknown[] = [],
): Promise<T[]> {
  return (await h.database.pool.query<T>(text, params)).rows;
}

type Falsy = null | undefined | false;

/** Polls `probe` (sync or async) until it returns something truthy; waits only, asserts nothing about time. */
export async function waitUntil<T>(
  what: string,
  probe: () => T | Falsy | Promise<T | Falsy>,
  timeoutMs = 8000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() >= deadline) throw new Error(`Still waiting after ${timeoutMs} ms for: ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * One whole lifecycle pass (expiry, reminders, queued starts) run now, and whatever it queued sent: after it,
 * what the sweeper would do is done, so "nothing happened" needs no sleep.
 */
export async function lifecyclePass(h: Harness): Promise<void> {
  await h.runtime.lifecycleWorker.runOnce();
  await settle(h);
}

export const buttonsOf = (m: Sent) => (m.body.interactive?.action?.buttons ?? []).map((b) => b.reply);

/**
 * An operator with a machine and a template; `assign` gives them one more assignment (on another template if named).
 */
let machines = 0;
export async function operatorWithWork(h: Harness, tasks: string[] = ['Check oil level']) {
  const machineName = `Press ${++machines}`;
  const [operator, machine, template] = await Promise.all([
    createOperator(h),
    createMachine(h, { name: machineName }),
    createTemplate(h, tasks),
  ]);
  const assign = async (templateTasks?: string[]) => {
    const t = templateTasks ? await createTemplate(h, templateTasks) : template;
    const res = await h.api.post('/api/assignments', {
      templateId: t.id,
      machineId: machine.id,
      operatorId: operator.id,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as {
      id: string;
      status: string;
      statusReason: string | null;
      queuePosition: number | null;
      submissionId: string | null;
    };
  };
  return { operator, machine, template, phone: operator.phoneNumber, assign };
}

/**
 * `count` operators with work, each with its assignment started and Question 1 sent (settled):
 * `started[i]` is `work[i]`'s.
 */
export async function startedOperators(h: Harness, count: number, tasks: string[]) {
  const work = await Promise.all(Array.from({ length: count }, () => operatorWithWork(h, tasks)));
  const started = await Promise.all(work.map((w) => w.assign()));
  await settle(h);
  return { work, started };
}

export const assignmentOf = async (h: Harness, id: string) =>
  (await h.api.get(`/api/assignments/${id}`)).body as AssignmentBody;

/** GET /api/submissions/{id} of the assignment's latest submission. */
export async function submissionOf(h: Harness, assignmentId: string): Promise<SubmissionBody> {
  const { submissionId } = await assignmentOf(h, assignmentId);
  return (await h.api.get(`/api/submissions/${submissionId}`)).body as SubmissionBody;
}

export async function sessionOf(h: Harness, assignmentId: string) {
  const [s] = await rows<{
    id: string;
    status: string;
    answers: unknown[];
    pending_photo_url: string | null;
    ended_at: Date | null;
  }>(
    h,
    'SELECT id, status, answers, pending_photo_url, ended_at FROM whatsapp_conversation_sessions WHERE assignment_id = $1 ORDER BY created_at DESC LIMIT 1',
    [assignmentId],
  );
  return s;
}

export async function storedAnswers(h: Harness, submissionId: string) {
  return rows<{ position: number; status: string; remarks: string | null; photo_filename: string | null }>(
    h,
    'SELECT position, status, remarks, photo_filename FROM checklist_submission_answers WHERE submission_id = $1 ORDER BY position',
    [submissionId],
  );
}

/** Moves a session's expiry into the past, as an operator would with psql. */
export async function makeOverdue(h: Harness, assignmentId: string) {
  await h.database.pool.query(
    `UPDATE whatsapp_conversation_sessions SET expires_at = now() - interval '1 minute' WHERE assignment_id = $1 AND status = 'active'`,
    [assignmentId],
  );
}

/** The deployment guide's rollback switch, run verbatim (and its reverse). */
export async function switchWhatsApp(h: Harness, on: boolean) {
  await h.database.pool.query(
    on ? 'UPDATE system_config SET whatsapp_enabled = true;' : 'UPDATE system_config SET whatsapp_enabled = false;',
  );
}

export function buttonReply(phone: string, id: string, title: string, timestamp = unixNow()) {
  return {
    from: waId(phone),
    id: newWamid(),
    timestamp: String(timestamp),
    type: 'interactive',
    interactive: { type: 'button_reply', button_reply: { id, title } },
  };
}

export function imageMessage(phone: string, mediaId: string, opts: { caption?: string; timestamp?: number } = {}) {
  return {
    from: waId(phone),
    id: newWamid(),
    timestamp: String(opts.timestamp ?? unixNow()),
    type: 'image',
    image: { id: mediaId, mime_type: 'image/png', sha256: 'x', ...(opts.caption ? { caption: opts.caption } : {}) },
  };
}

/** Taps a reply button as the operator and waits for it to be applied and answered. */
export async function tap(h: Harness, phone: string, id: string, title: string) {
  const res = await deliver(h.app, messagesDelivery([buttonReply(phone, id, title)]));
  expect(res.status).toBe(200);
  await settle(h);
}

/**
 * A second app process on the same database (its own pool and workers), as PM2 cluster mode would run:
 * for "safe with several processes".
 */
export function startSecondProcess(
  h: Harness,
  opts: { lifecyclePollMs?: number } = {},
): Promise<{ runtime: Runtime; close(): Promise<void> }> {
  const pool = createPool(h.database.url, 10);
  const sender = createGraphClient({
    baseUrl: h.config.WHATSAPP_API_BASE_URL,
    version: h.config.WHATSAPP_API_VERSION,
    phoneNumberId: h.config.phoneNumberId,
    accessToken: ACCESS_TOKEN,
    timeoutMs: 2000,
  });
  const runtime = createRuntime({
    config: h.config,
    db: createDb(pool),
    logger: createLogger({ level: h.config.LOG_LEVEL, pretty: false }),
    sender,
    media: graphMediaSource(sender),
    outbox: { pollMs: 50, backoffMs: () => 20 },
    inboxPollMs: 50,
    ...(opts.lifecyclePollMs ? { lifecyclePollMs: opts.lifecyclePollMs } : {}),
  });
  runtime.startWorkers();
  return Promise.resolve({
    runtime,
    async close() {
      await runtime.stopWorkers();
      await pool.end();
    },
  });
}
