import type { Express } from 'express';
import type { Config } from './lib/config.js';
import type { Db } from './lib/db/client.js';
import type { Logger } from './lib/logger.js';
import { createApp } from './app.js';
import { createConversationService, type ConversationService } from './conversation/conversation-service.js';
import { createInboxWorker } from './whatsapp/inbox-worker.js';
import { createOutboxWorker, type OutboxWorkerDeps } from './whatsapp/outbox-worker.js';
import type { WhatsAppSender } from './whatsapp/whatsapp-types.js';
import type { WorkerLoop } from './whatsapp/worker-loop.js';

export interface Runtime {
  app: Express;
  conversation: ConversationService;
  inboxWorker: WorkerLoop;
  outboxWorker: WorkerLoop;
  startWorkers(): void;
  stopWorkers(): Promise<void>;
}

/** The composition root: wires services, workers and the app. Shared by the server and the tests. */
export function createRuntime(opts: {
  config: Config;
  db: Db;
  logger: Logger;
  sender: WhatsAppSender;
  outbox?: Partial<Pick<OutboxWorkerDeps, 'pollMs' | 'backoffMs'>>;
  inboxPollMs?: number;
}): Runtime {
  const { config, db, logger } = opts;
  let outboxWorker: WorkerLoop | undefined;
  let inboxWorker: WorkerLoop | undefined;
  const conversation = createConversationService({
    db,
    logger,
    sessionTtlHours: config.SESSION_TTL_HOURS,
    onOutbox: () => outboxWorker?.kick(),
  });
  outboxWorker = createOutboxWorker({ db, logger, sender: opts.sender, ...opts.outbox });
  inboxWorker = createInboxWorker({
    db,
    logger,
    conversation,
    onOutbox: () => outboxWorker?.kick(),
    ...(opts.inboxPollMs ? { pollMs: opts.inboxPollMs } : {}),
  });
  const app = createApp({ config, db, logger, conversation, onInbound: () => inboxWorker?.kick() });
  return {
    app,
    conversation,
    inboxWorker,
    outboxWorker,
    startWorkers() {
      inboxWorker!.start();
      outboxWorker!.start();
    },
    async stopWorkers() {
      await Promise.all([inboxWorker!.stop(), outboxWorker!.stop()]);
    },
  };
}
