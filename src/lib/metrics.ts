import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** One registry per process; /metrics renders it. Names are prefixed kinto_. */
export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'kinto_' });

const fast = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];
// Finer where the targets are (p50 < 1 ms, p99 < 5 ms), so histogram_quantile lands near the true value.
const lockBuckets = [
  0.00025, 0.0005, 0.00075, 0.001, 0.0015, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1,
];

export const metrics = {
  lockedTx: new Histogram({
    name: 'kinto_locked_tx_duration_seconds',
    help: 'Duration of the transaction that locks a session row and applies one inbound message',
    buckets: lockBuckets,
    registers: [registry],
  }),
  webhookAck: new Histogram({
    name: 'kinto_webhook_ack_duration_seconds',
    help: 'Time from a webhook delivery arriving to our answer (after it is recorded)',
    labelNames: ['status'],
    buckets: fast,
    registers: [registry],
  }),
  inbound: new Counter({
    name: 'kinto_inbound_messages_total',
    help: 'Inbound WhatsApp messages recorded, by Meta message type',
    labelNames: ['type'],
    registers: [registry],
  }),
  duplicates: new Counter({
    name: 'kinto_inbound_duplicates_total',
    help: 'Redelivered messages (an id already recorded), ignored',
    registers: [registry],
  }),
  billable: new Counter({
    name: 'kinto_billable_messages_total',
    help: "Sent messages Meta's delivery statuses priced as billable, by Meta's pricing category (each message once)",
    labelNames: ['category'],
    registers: [registry],
  }),
  outbound: new Counter({
    name: 'kinto_outbound_sends_total',
    help: 'Send attempts to the Graph API by result (sent, retry, failed) and Meta error code',
    labelNames: ['result', 'code'],
    registers: [registry],
  }),
  pacedWaits: new Counter({
    name: 'kinto_outbox_paced_waits_total',
    help: 'Times the outbox worker found messages ready but this second spent (WHATSAPP_MAX_MESSAGES_PER_SECOND, shared by all processes) and waited for the next second',
    registers: [registry],
  }),
  schedulePasses: new Counter({
    name: 'kinto_schedule_passes_total',
    help: 'Passes of the schedules worker that finished (each looks for schedules whose start time has come and checklists past their due time); one that stops growing is a stuck worker',
    registers: [registry],
  }),
};

type GaugeReader = () => Promise<Record<string, number>>;
let reader: GaugeReader | null = null;

/** Where the gauges below read their values when /metrics is scraped (the app that serves /metrics). */
export function setGaugeReader(read: GaugeReader): void {
  reader = read;
}

const values: Record<string, number> = {};
let refreshing: Promise<void> | null = null;
const refresh = () =>
  (refreshing ??= (reader ? reader() : Promise.resolve({}))
    .then((v) => void Object.assign(values, v))
    .finally(() => (refreshing = null)));

const gauge = (name: string, help: string, key: string) =>
  new Gauge({
    name,
    help,
    registers: [registry],
    async collect() {
      await refresh();
      this.set(values[key] ?? 0);
    },
  });

gauge('kinto_outbox_backlog', 'Outgoing messages not yet sent (pending or sending)', 'backlog');
gauge('kinto_outbox_oldest_age_seconds', 'Age of the oldest unsent outgoing message', 'oldestAge');
gauge('kinto_failed_deliveries_24h', 'Outgoing messages that failed in the last 24 hours', 'failed24h');
gauge('kinto_failed_delivery_ratio_24h', 'Failed / sent outgoing messages over the last 24 hours', 'failedRatio');
gauge('kinto_sessions_active', 'Conversations in progress', 'active');
gauge('kinto_sessions_expired_24h', 'Conversations that expired in the last 24 hours', 'expired24h');
gauge('kinto_inbox_pending', 'Inbound messages recorded but not applied yet', 'inboxPending');
gauge('kinto_photo_storage_bytes', 'Bytes used by stored photos', 'photoBytes');
