import express, { Router } from 'express';
import type { Db } from '../lib/db/client.js';
import { withTransaction } from '../lib/db/transaction.js';
import { ForbiddenError, UnauthorizedError, ValidationError } from '../lib/errors.js';
import { secretsEqual } from '../lib/http/auth.js';
import { metrics } from '../lib/metrics.js';
import { learnFromStatuses, recordMessages, WEBHOOK_STATEMENTS } from './inbox-repository.js';
import { knownPeople, senderAddresses } from './people.js';
import { applyIdentityChange, identityChangeOf } from './identity-changes.js';
import { createInboundRecorder } from './inbound-recorder.js';
import { applyStatuses, type StatusesApplied } from './status-apply.js';
import { verifySignature } from './signature.js';
import { extractUpdates } from './webhook-schemas.js';

export interface WebhookDeps {
  db: Db;
  verifyToken: string;
  appSecret: string;
  /** Called after new messages were recorded, to process them. */
  applyRecordedMessages: () => void;
  /** A delivery failed with 131047 (outside the 24-hour window) for this session. */
  onReengage: (sessionId: string) => Promise<void>;
  /** A commit queued messages (an alert's template instead of its refused text): wake the sender. */
  sendQueuedReplies?: () => void;
}

/** Meta's payloads can reach 3 MB (../shared/whatsapp-cloud-api.md). */
export const WEBHOOK_BODY_LIMIT = '4mb';

const CHALLENGE = /^\d{1,64}$/;
/** The answer to the guide's check by hand: the token matches, so Meta's own request will get its challenge back. */
export const MANUAL_CHECK_OK =
  "Verify token matches WHATSAPP_VERIFY_TOKEN: Meta's verification (hub.mode=subscribe with a hub.challenge) will get its challenge back.";

export function webhookRoutes(deps: WebhookDeps): Router {
  const router = Router();
  const recorder = createInboundRecorder(deps.db);

  // Meta's challenge is a number. Echoing anything else would let a link holding the verify token make
  // this host serve text of someone else's choosing, so only digits come back, and never sniffed.
  // The deployment guide's check (`curl .../webhook?hub.verify_token=YOUR_TOKEN`, no mode, no challenge) is
  // answered too: a matching token gets one line saying Meta's verification will pass.
  router.get('/', (req, res) => {
    res.set('X-Content-Type-Options', 'nosniff');
    const mode = req.query['hub.mode'];
    const token = req.query['hub.verify_token'];
    const challenge = req.query['hub.challenge'];
    const manualCheck = mode === undefined && challenge === undefined;
    if ((mode !== 'subscribe' && !manualCheck) || typeof token !== 'string' || !secretsEqual(token, deps.verifyToken)) {
      throw new ForbiddenError(
        'Webhook verification failed: hub.mode must be subscribe and hub.verify_token must match',
      );
    }
    if (manualCheck) {
      res.type('text/plain').send(MANUAL_CHECK_OK);
      return;
    }
    if (typeof challenge !== 'string' || !CHALLENGE.test(challenge)) {
      throw new ValidationError('Webhook verification failed: hub.challenge must be digits', {
        fields: [{ field: 'hub.challenge', message: 'must be digits' }],
      });
    }
    res.type('text/plain').send(challenge);
  });

  // Acknowledgement time, including failures (a slow or failed record is what makes Meta retry).
  router.post('/', (_req, res, next) => {
    const end = metrics.webhookAck.startTimer();
    res.on('finish', () => end({ status: String(res.statusCode) }));
    next();
  });

  router.post('/', express.raw({ type: () => true, limit: WEBHOOK_BODY_LIMIT }), async (req, res) => {
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (!verifySignature(raw, req.get('x-hub-signature-256'), deps.appSecret)) {
      throw new UnauthorizedError('Missing or invalid X-Hub-Signature-256');
    }
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      req.log.warn('[WHATSAPP] Webhook body is not JSON; acknowledged and ignored');
      res.sendStatus(200);
      return;
    }
    const extracted = extractUpdates(body);
    const { statuses } = extracted;
    // A changed number or user id is applied first, so the delivery's other messages already find the operator.
    const changes = extracted.messages.map(identityChangeOf);
    for (const change of changes) if (change) await applyIdentityChange(deps.db, req.log, change);
    const messages = extracted.messages.filter((_, i) => !changes[i]);
    const people = knownPeople(extracted.people);
    const addressed = await senderAddresses(deps.db, messages, people);
    const { rows } = addressed;
    const skipped = extracted.skipped + addressed.skipped;
    // Recorded durably before the 200; if this throws, the error middleware answers 500 and Meta retries.
    let applied: StatusesApplied = { reengage: [], billed: [], fallbacks: 0 };
    // Messages only (the usual delivery): written with the other deliveries in flight, one statement and one commit.
    const freshTypes =
      statuses.length === 0
        ? (await recorder.record(rows, people)).map((r) => r.type)
        : await withTransaction(
            deps.db,
            async (tx) => {
              const fresh = new Set(await recordMessages(tx, rows, people));
              const types = rows.filter((r) => fresh.delete(r.waMessageId)).map((r) => r.type);
              await learnFromStatuses(tx, people);
              applied = await applyStatuses(tx, statuses);
              return types;
            },
            WEBHOOK_STATEMENTS,
          );
    // Counted after the commit: a retried transaction must not count a message twice.
    for (const category of applied.billed) metrics.billable.inc({ category });
    const fresh = freshTypes.length;
    for (const type of freshTypes) metrics.inbound.inc({ type });
    metrics.duplicates.inc(rows.length - fresh);
    // One line per delivery with only the counts that are not zero: most deliveries are one new message.
    req.log.info(
      {
        ...nonZero({
          messages: rows.length,
          fresh,
          duplicates: rows.length - fresh,
          statuses: statuses.length,
          identityChanges: extracted.messages.length - messages.length,
          skipped,
        }),
        ...(rows.length > 0 ? { types: rows.map((r) => r.type) } : {}),
      },
      '[WHATSAPP] Webhook delivery recorded',
    );
    res.sendStatus(200);
    if (fresh > 0) deps.applyRecordedMessages();
    if (applied.fallbacks > 0) deps.sendQueuedReplies?.();
    for (const sessionId of applied.reengage) {
      deps
        .onReengage(sessionId)
        .catch((err) => req.log.warn({ err, sessionId }, '[WHATSAPP] Re-engagement template failed to queue'));
    }
  });

  return router;
}

/** The counts that are not zero, in their order. */
function nonZero(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).filter(([, n]) => n !== 0));
}
