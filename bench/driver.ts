// The load generator (a child process of bench/run.ts). It hosts the fake Graph API, so it sees each
// outgoing message the moment the server sends it, and plays K operators in closed loops: tap the answer
// to the question just received, wait for the next question, tap again, through CONFIRM.
import { performance } from 'node:perf_hooks';
import { startFakeGraphApi, type FakeSentBody } from '../tests/support/fake-graph-api.js';
import { SECRETS, type FromDriver, type PhaseResult, type RunPhase, type ToDriver } from './protocol.js';
import { sleep, summarise } from './stats.js';
import { createWebhookClient, type WebhookClient } from './webhook-client.js';

const STEP_TIMEOUT_MS = 15_000;
/**
 * Operators start one after another over this time, as load tools ramp up: started in the same
 * millisecond, K=200 operators open 200 connections and tap at once, a burst no factory produces.
 */
const RAMP_MS = 500;

interface Received {
  body: FakeSentBody;
  at: number;
}

/** Messages the server sent to one phone, in arrival order, and the operator waiting for the next. */
interface Mailbox {
  queue: Received[];
  waiter: ((r: Received | null) => void) | null;
}

const boxes = new Map<string, Mailbox>();
const digits = (phone: string) => phone.replace(/\D/g, '');

function boxOf(phone: string): Mailbox {
  const key = digits(phone);
  let box = boxes.get(key);
  if (!box) boxes.set(key, (box = { queue: [], waiter: null }));
  return box;
}

/** The burst phase's watch: the first arrival (epoch ms) per phone, and who waits for all of them. */
let watch: { first: Map<string, number>; want: number; done: () => void } | null = null;

function receive(to: string, body: FakeSentBody): void {
  if (watch && !watch.first.has(digits(to))) {
    watch.first.set(digits(to), Date.now());
    if (watch.first.size >= watch.want) watch.done();
    return;
  }
  const box = boxOf(to);
  const r = { body, at: performance.now() };
  if (box.waiter) {
    const w = box.waiter;
    box.waiter = null;
    w(r);
  } else box.queue.push(r);
}

function next(phone: string): Promise<Received | null> {
  const box = boxOf(phone);
  const queued = box.queue.shift();
  if (queued) return Promise.resolve(queued);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      box.waiter = null;
      resolve(null);
    }, STEP_TIMEOUT_MS);
    box.waiter = (r) => {
      clearTimeout(timer);
      resolve(r);
    };
  });
}

type Step = { kind: 'answer' | 'confirm'; id: string; title: string } | { kind: 'text' };

/** What the operator does with a message: tap OK on a question, CONFIRM on the summary, or just read it. */
function stepFor(body: FakeSentBody): Step {
  const buttons = body.interactive?.action?.buttons ?? [];
  const ok = buttons.find((b) => b.reply.id.startsWith('ans:') && b.reply.id.endsWith(':OK'));
  if (ok) return { kind: 'answer', ...ok.reply };
  const confirm = buttons.find((b) => b.reply.id.startsWith('sum:') && b.reply.id.endsWith(':CONFIRM'));
  if (confirm) return { kind: 'confirm', ...confirm.reply };
  return { kind: 'text' };
}

interface PhaseStats {
  reply: number[];
  nextChecklist: number[];
  checklists: number;
  timeouts: number;
  unexpected: number;
  ranOut: number;
}

async function operate(phone: string, run: RunPhase, client: WebhookClient, deadline: number, s: PhaseStats) {
  let completed = 0;
  let last: { kind: 'answer' | 'confirm'; at: number; completedSeen: boolean } | null = null;
  // A paced phase: each operator taps once every k / rate seconds at most, as people who read and think.
  const intervalMs = run.ratePerSecond ? (run.phones.length / run.ratePerSecond) * 1000 : 0;
  let nextTapAt = 0;
  for (;;) {
    const got = await next(phone);
    if (!got) {
      s.timeouts++;
      return;
    }
    const step = stepFor(got.body);
    if (step.kind === 'text') {
      // After CONFIRM: "submitted" arrives, then Question 1 of the next queued checklist (if any).
      if (last?.kind !== 'confirm' || last.completedSeen) s.unexpected++;
      else {
        last.completedSeen = true;
        s.checklists++;
        if (++completed >= run.checklists) {
          if (performance.now() < deadline) s.ranOut++;
          return;
        }
      }
      continue;
    }
    if (last?.kind === 'answer') s.reply.push(got.at - last.at);
    if (last?.kind === 'confirm') s.nextChecklist.push(got.at - last.at);
    if (performance.now() >= deadline) return;
    if (intervalMs > 0) {
      await sleep(Math.max(0, nextTapAt - performance.now()));
      nextTapAt = Math.max(nextTapAt, performance.now()) + intervalMs;
      if (performance.now() >= deadline) return;
    }
    last = { kind: step.kind, at: performance.now(), completedSeen: false };
    await client.tap(phone, step.id, step.title);
  }
}

async function runPhase(run: RunPhase): Promise<PhaseResult> {
  const client = createWebhookClient(run.webhookUrl, SECRETS.appSecret, SECRETS.phoneNumberId, run.duplicateRate);
  const s: PhaseStats = { reply: [], nextChecklist: [], checklists: 0, timeouts: 0, unexpected: 0, ranOut: 0 };
  const start = performance.now();
  const deadline = start + run.durationMs;
  const k = run.phones.length;
  await Promise.all(
    run.phones.map((phone, i) => sleep((i * RAMP_MS) / k).then(() => operate(phone, run, client, deadline, s))),
  );
  await client.drain();
  const elapsedMs = performance.now() - start;
  return {
    phase: run.phase,
    k: run.phones.length,
    elapsedMs,
    ...client.counts(),
    ack: summarise(client.ackMs),
    reply: summarise(s.reply),
    nextChecklist: summarise(s.nextChecklist),
    checklists: s.checklists,
    timeouts: s.timeouts,
    unexpected: s.unexpected,
    ranOut: s.ranOut,
  };
}

const send = (m: FromDriver) => process.send?.(m);

const graph = await startFakeGraphApi({ accessToken: SECRETS.accessToken });
// The fake asks each registered predicate whether to fail a send; this one never fails it, it only
// hands the message to the operator it is for, at the moment the server's request arrives.
graph.failWhen(
  (attempt) => {
    receive(attempt.to, attempt.body);
    return false;
  },
  { status: 500 },
);

process.on('message', (m: ToDriver) => {
  if (m.type === 'stop') {
    void graph.close().finally(() => process.exit(0));
    return;
  }
  if (m.type === 'watch') {
    const first = new Map<string, number>();
    void new Promise<void>((resolve) => {
      watch = { first, want: m.phones.length, done: resolve };
      setTimeout(resolve, m.timeoutMs);
    }).then(() => {
      watch = null;
      send({ type: 'watched', arrivals: [...first.values()] });
    });
    return;
  }
  runPhase(m)
    .then((result) => send({ type: 'result', result }))
    .catch((err: unknown) =>
      send({ type: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) }),
    )
    .finally(() => {
      graph.sent.length = 0; // the fake keeps every message; this run only needs them as they arrive
      graph.reads.length = 0;
    });
});
// The parent going away (even killed) closes the IPC channel: do not outlive it.
process.on('disconnect', () => process.exit(0));
send({ type: 'graph', baseUrl: graph.baseUrl });
