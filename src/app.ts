import { randomUUID } from 'node:crypto';
import express, { type Express } from 'express';
import { pinoHttp } from 'pino-http';
import type { Config } from './lib/config.js';
import type { Db } from './lib/db/client.js';
import { pingDatabase } from './lib/db/health-queries.js';
import type { Logger } from './lib/logger.js';
import { requireBearer } from './lib/http/auth.js';
import { apiActor } from './audit/actor.js';
import { actionsRoutes } from './actions/actions-routes.js';
import { createAdmin } from './admin/admin.js';
import { errorMiddleware, notFoundHandler } from './lib/http/error-middleware.js';
import { metricsRoute } from './lib/http/metrics-route.js';
import { buildOpenApi } from './docs/openapi.js';
import { checklistsRoutes } from './checklists/checklists-routes.js';
import { assignmentsRoutes } from './assignments/assignments-routes.js';
import { schedulesRoutes } from './schedules/schedules-routes.js';
import { createSchedulesService } from './schedules/schedules-service.js';
import { reviewRoutes } from './review/review-routes.js';
import { createReviewService } from './review/review-service.js';
import type { ConversationService } from './conversation/conversation-service.js';
import { sessionGauges } from './conversation/gauge-queries.js';
import { inboxPending, outboxGauges } from './whatsapp/gauge-queries.js';
import { webhookRoutes } from './whatsapp/webhook-routes.js';
import { photoRoutes } from './photos/photo-routes.js';
import { createPhotoStore } from './photos/photo-store.js';
import { photoStorageBytes } from './photos/photo-usage.js';
import { simulatorRoutes } from './simulator/simulator-routes.js';
import type { SimulatorStore } from './whatsapp/simulator-sender.js';

export interface AppDeps {
  config: Config;
  db: Db;
  logger: Logger;
  conversation: ConversationService;
  applyRecordedMessages: () => void;
  /** Wakes the outbox worker after a commit that queued messages. */
  sendQueuedReplies?: () => void;
  /** Wakes the schedules worker after a schedule was made or changed. */
  scheduleChanged?: () => void;
  /** Only in simulator mode (no WHATSAPP_ACCESS_TOKEN): the in-browser WhatsApp at /simulator. */
  simulator?: { store: SimulatorStore; webhookUrl: () => string } | null;
}

/** Builds the Express app; never listens (src/server.ts does, tests use supertest). */
export function createApp(deps: AppDeps): Express {
  const app = express();
  const review = createReviewService({ db: deps.db, conversation: deps.conversation, logger: deps.logger });
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  const schedules = createSchedulesService({
    db: deps.db,
    defaultTimezone: deps.config.DEFAULT_TIMEZONE,
    scheduleChanged: deps.scheduleChanged ?? (() => undefined),
  });
  // Stateless (a folder and its checks): the closing photos of actions, from the API and the pages.
  const photos = createPhotoStore(deps.config.WHATSAPP_PHOTOS_DIR);
  const admin = createAdmin({
    photos,
    config: deps.config,
    db: deps.db,
    logger: deps.logger,
    conversation: deps.conversation,
    schedules,
    review,
    simulator: Boolean(deps.simulator),
  });

  app.use(
    pinoHttp({
      logger: deps.logger,
      genReqId: (req, res) => {
        const incoming = req.headers['x-request-id'];
        const id = typeof incoming === 'string' && /^[\w.-]{1,100}$/.test(incoming) ? incoming : randomUUID();
        res.setHeader('x-request-id', id);
        return id;
      },
      customLogLevel: (_req, res, err) =>
        err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'info' : 'debug',
      // pino-http hands this its own serialised request; only its id, method and path (no query) are logged.
      serializers: {
        req: (req: { id: unknown; method: string; url?: string }) => ({
          id: req.id,
          method: req.method,
          url: req.url?.split('?')[0],
        }),
        // The status only: response headers carry the session cookie (a secret) and fill 25 lines per 4xx.
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    }),
  );

  app.get('/healthz', async (_req, res) => {
    try {
      await pingDatabase(deps.db);
      res.json({ status: 'ok' });
    } catch {
      res.status(503).json({ status: 'unavailable', reason: 'database not answering' });
    }
  });

  app.get(
    '/metrics',
    metricsRoute({
      apiToken: deps.config.apiToken,
      readGauges: () => readGauges(deps.db, deps.config.WHATSAPP_PHOTOS_DIR),
    }),
  );

  // The webhook reads its raw body itself (the signature covers the exact bytes), so it comes before express.json().
  app.use(
    '/api/whatsapp/webhook',
    webhookRoutes({
      db: deps.db,
      verifyToken: deps.config.verifyToken,
      appSecret: deps.config.appSecret,
      applyRecordedMessages: deps.applyRecordedMessages,
      onReengage: deps.conversation.reengage,
      ...(deps.sendQueuedReplies ? { sendQueuedReplies: deps.sendQueuedReplies } : {}),
    }),
  );

  // Photos open for the API token or a signed-in manager (the pages show them as thumbnails).
  app.use(
    '/api/whatsapp-photos',
    admin.session,
    photoRoutes({ photosDir: deps.config.WHATSAPP_PHOTOS_DIR, requireAuth: admin.requireUserOrBearer }),
  );

  const api = express.Router();
  api.use(requireBearer(deps.config.apiToken));
  api.use(express.json({ limit: '1mb' }));
  // Who the audit trail records a change as made by: the token, or the account X-Acting-User names.
  api.use(apiActor(deps.db));
  // The OpenAPI document of this API (bearer-protected like the rest of /api; also committed as docs/openapi.json).
  api.get('/docs', (_req, res) => {
    res.json(buildOpenApi());
  });
  api.use(checklistsRoutes(deps.db, { defaultCountry: deps.config.DEFAULT_COUNTRY }));
  api.use(assignmentsRoutes(deps.db, deps.conversation));
  api.use(actionsRoutes(deps.db, { timeZone: deps.config.DEFAULT_TIMEZONE, photos }));
  api.use(schedulesRoutes(schedules));
  api.use(reviewRoutes(deps.db, review));
  app.use('/api', api);

  if (deps.simulator) {
    app.use(
      '/simulator',
      ...admin.guard,
      simulatorRoutes({
        db: deps.db,
        store: deps.simulator.store,
        appSecret: deps.config.appSecret,
        webhookUrl: deps.simulator.webhookUrl,
        logger: deps.logger,
        startAssignment: deps.conversation.start,
      }),
      admin.pageErrors,
    );
  }

  // The manager pages (src/admin): every one but /login needs a signed-in user.
  app.use(admin.pages);

  app.use(notFoundHandler);
  app.use(errorMiddleware);
  return app;
}

/** The figures behind the /metrics gauges (named in src/lib/metrics.ts), each read by the component that owns it. */
async function readGauges(db: Db, photosDir: string): Promise<Record<string, number>> {
  const [outbox, pending, sessions, photoBytes] = await Promise.all([
    outboxGauges(db),
    inboxPending(db),
    sessionGauges(db),
    photoStorageBytes(photosDir),
  ]);
  return { ...outbox, inboxPending: pending, ...sessions, photoBytes };
}
