import type { Express } from 'express';
import type { Config } from './lib/config.js';
import type { Db } from './lib/db/client.js';
import type { Logger } from './lib/logger.js';
import { createApp, type AppDeps } from './app.js';
import { createConversationService, type ConversationService } from './conversation/conversation-service.js';
import { closeActionsForReworkedOk } from './actions/actions-service.js';
import { createLifecycleWorker } from './conversation/lifecycle-worker.js';
import { createPhotoStore, type PhotoStore } from './photos/photo-store.js';
import { createInboxWorker } from './whatsapp/inbox-worker.js';
import type { MediaSource } from './whatsapp/media-source.js';
import { createOutboxWorker, type OutboxWorkerDeps } from './whatsapp/outbox-worker.js';
import { createRetentionWorker } from './whatsapp/retention.js';
import { createSchedulesWorker } from './schedules/schedules-worker.js';
import type { WhatsAppSender } from './whatsapp/whatsapp-types.js';
import type { WorkerLoop } from './lib/worker-loop.js';

export interface Runtime {
  app: Express;
  conversation: ConversationService;
  photos: PhotoStore;
  inboxWorker: WorkerLoop;
  outboxWorker: WorkerLoop;
  lifecycleWorker: WorkerLoop;
  /** Deletes old finished inbox and outbox rows (WHATSAPP_LOG_RETENTION_DAYS), at start and hourly. */
  retentionWorker: WorkerLoop;
  /** Creates scheduled checklists and marks unfinished ones past their due time missed. */
  schedulesWorker: WorkerLoop;
  startWorkers(): void;
  stopWorkers(): Promise<void>;
}

export interface RuntimeOptions {
  config: Config;
  db: Db;
  logger: Logger;
  /** The Graph API client, or the simulator. */
  sender: WhatsAppSender;
  media: MediaSource;
  outbox?: Partial<Pick<OutboxWorkerDeps, 'pollMs' | 'backoffMs'>>;
  inboxPollMs?: number;
  lifecyclePollMs?: number;
  simulator?: AppDeps['simulator'];
}

/** The composition root: wires services, workers and the app. Shared by the server and the tests. */
export function createRuntime(opts: RuntimeOptions): Runtime {
  const { config, db, logger, sender } = opts;
  // The two wake-ups that chain the components: a recorded webhook delivery wakes the inbox worker (once
  // the settle window has passed), and a commit that queued replies wakes the outbox worker.
  const applyRecordedMessages = () => inboxWorker.kick(config.INBOX_SETTLE_MS);
  const sendQueuedReplies = () => outboxWorker.kick();
  const photos = createPhotoStore(config.WHATSAPP_PHOTOS_DIR);
  const conversation = createConversationService({
    db,
    logger,
    sessionTtlHours: config.SESSION_TTL_HOURS,
    timeZone: config.DEFAULT_TIMEZONE,
    readMarginSeconds: config.QUESTION_READ_MARGIN_SECONDS,
    alertPhoneNumbers: config.ALERT_PHONE_NUMBERS,
    alertTemplate: config.WHATSAPP_ALERT_TEMPLATE
      ? { name: config.WHATSAPP_ALERT_TEMPLATE, language: config.WHATSAPP_TEMPLATE_LANGUAGE }
      : null,
    startTemplate: config.WHATSAPP_START_TEMPLATE
      ? { name: config.WHATSAPP_START_TEMPLATE, language: config.WHATSAPP_TEMPLATE_LANGUAGE }
      : null,
    sendQueuedReplies,
    // A reworked answer that came back OK closes its open corrective action (issue 18 item 3).
    onReworkConfirmed: async (tx, { submissionId, answers }) => {
      await closeActionsForReworkedOk(
        tx,
        submissionId,
        answers.filter((a) => a.status === 'OK').map((a) => a.position),
      );
    },
  });
  const outboxWorker = createOutboxWorker({
    db,
    logger,
    sender,
    onReengage: conversation.reengage,
    maxPerSecond: config.WHATSAPP_MAX_MESSAGES_PER_SECOND,
    ...opts.outbox,
  });
  const inboxWorker = createInboxWorker({
    db,
    logger,
    conversation,
    media: opts.media,
    photos,
    sender,
    settleMs: config.INBOX_SETTLE_MS,
    ...(opts.inboxPollMs ? { pollMs: opts.inboxPollMs } : {}),
  });
  const lifecycleWorker = createLifecycleWorker({
    db,
    logger,
    conversation,
    reminderAfterMinutes: config.REMINDER_AFTER_MINUTES,
    sendQueuedReplies,
    ...(opts.lifecyclePollMs ? { pollMs: opts.lifecyclePollMs } : {}),
  });
  const schedulesWorker = createSchedulesWorker({ db, logger, conversation, pollMs: config.SCHEDULES_POLL_MS });
  const retentionWorker = createRetentionWorker({ db, logger, retentionDays: config.WHATSAPP_LOG_RETENTION_DAYS });
  const app = createApp({
    config,
    db,
    logger,
    conversation,
    applyRecordedMessages,
    sendQueuedReplies,
    scheduleChanged: () => schedulesWorker.kick(),
    simulator: opts.simulator ?? null,
  });
  return {
    app,
    conversation,
    photos,
    inboxWorker,
    outboxWorker,
    lifecycleWorker,
    retentionWorker,
    schedulesWorker,
    startWorkers() {
      inboxWorker.start();
      outboxWorker.start();
      lifecycleWorker.start();
      retentionWorker.start();
      schedulesWorker.start();
    },
    async stopWorkers() {
      await Promise.all([
        inboxWorker.stop(),
        outboxWorker.stop(),
        lifecycleWorker.stop(),
        retentionWorker.stop(),
        schedulesWorker.stop(),
      ]);
    },
  };
}
