// Messages between bench/run.ts and its child processes (Node IPC), and the secrets they share.
import type { Summary } from './stats.js';

/** What the server child is configured with; the driver signs and authorises with the same values. */
export const SECRETS = {
  accessToken: 'bench-access-token',
  appSecret: 'bench-app-secret',
  verifyToken: 'bench-verify-token',
  apiToken: 'bench-api-token',
  phoneNumberId: '106540352242922',
  sessionSecret: 'bench-session-secret-not-for-production-0123',
  adminPassword: 'bench-admin-password',
} as const;

export interface RunPhase {
  type: 'run';
  phase: string;
  webhookUrl: string;
  /** E.164 phones; each already has `checklists` assignments (one started, the rest queued). */
  phones: string[];
  checklists: number;
  durationMs: number;
  duplicateRate: number;
  /** Operators pause between taps so that together they send about this many messages a second (unset: no pause). */
  ratePerSecond?: number;
}

/** Report when the first message to each of `phones` reaches the fake Graph API (the burst phase). */
export interface WatchFirst {
  type: 'watch';
  phones: string[];
  timeoutMs: number;
}

export type ToDriver = RunPhase | WatchFirst | { type: 'stop' };

export interface PhaseResult {
  phase: string;
  k: number;
  elapsedMs: number;
  /** Distinct inbound messages delivered (answer taps and CONFIRM taps), each acknowledged with 200. */
  messages: number;
  /** Every webhook POST: the messages, their redeliveries and retries after a non-200. */
  posts: number;
  duplicates: number;
  non200: number;
  ack: Summary;
  /** Answer tap sent -> next question (or the summary) received by the fake Graph API. */
  reply: Summary;
  /** CONFIRM tap sent -> Question 1 of the operator's next (queued) checklist received. */
  nextChecklist: Summary;
  checklists: number;
  timeouts: number;
  unexpected: number;
  /** Operators that finished every assignment before the phase ended (the phase then ran short of load). */
  ranOut: number;
}

export type FromDriver =
  | { type: 'graph'; baseUrl: string }
  | { type: 'result'; result: PhaseResult }
  | { type: 'error'; message: string }
  /** Epoch milliseconds each watched phone's first message arrived (missing: none within the timeout). */
  | { type: 'watched'; arrivals: number[] };

/** What bench/tx-probe.ts reports from inside the server child (milliseconds). */
export interface ProbeReport {
  type: 'bench:probe';
  /** BEGIN issued -> COMMIT answered, for transactions that locked a conversation session row. */
  lockedTx: number[];
  /** Of each: the time its statements were in PostgreSQL's hands (round trips)... */
  lockedDb: number[];
  /** ... and the time Node took between one statement's answer and the next one's issue. */
  lockedNode: number[];
  /** COMMIT issued -> answered, every transaction (mostly the WAL flush). */
  commits: number[];
  /** Statements inside each locked transaction, BEGIN and COMMIT included. */
  statements: number[];
  /** pool.connect() asked -> connection handed over (every checkout: webhook, workers, REST). */
  poolWait: number[];
  /** The server's event-loop delay over the phase. */
  loopDelayP50: number;
  loopDelayP99: number;
}
