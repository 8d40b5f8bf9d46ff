import express, { Router, type ErrorRequestHandler, type RequestHandler } from 'express';
import type { Config } from '../lib/config.js';
import type { Db } from '../lib/db/client.js';
import type { Logger } from '../lib/logger.js';
import type { ConversationService } from '../conversation/conversation-service.js';
import { actionPages } from './actions/action-pages.js';
import { photoUpload } from '../photos/photo-upload.js';
import type { PhotoStore } from '../photos/photo-store.js';
import type { SchedulesService } from '../schedules/schedules-service.js';
import type { ReviewService } from '../review/review-service.js';
import { assignmentPages } from './assignments/assignment-pages.js';
import type { LoginLimits } from './auth/login-limiter.js';
import { loginRoutes } from './auth/login-routes.js';
import { accountPages } from './accounts/account-pages.js';
import { passwordPages } from './auth/password-pages.js';
import { requireUser, requireUserOrBearer } from './auth/require-user.js';
import { SETUP_PATHS, setupOnly } from './auth/roles.js';
import { cataloguePages } from './catalogue/catalogue-pages.js';
import { dashboardRoutes } from './dashboard/dashboard-routes.js';
import { csrfProtection } from './http/csrf.js';
import { pageErrorHandler, pageNotFound } from './http/page-errors.js';
import { PUBLIC_DIR, setViewCache } from './http/render.js';
import { noStore, sameOriginPosts, securityHeaders } from './http/security.js';
import { createSessionMiddleware, saveFlashBeforeRedirect } from './http/session.js';
import { unknownSendersPages } from './senders/unknown-senders-pages.js';
import { readingsPages } from './readings/readings-pages.js';
import { schedulePages } from './schedules/schedule-pages.js';
import { settingsPages } from './settings/settings-pages.js';
import { submissionPages } from './submissions/submission-pages.js';
import { templatePages } from './templates/template-pages.js';

export interface AdminDeps {
  config: Config;
  db: Db;
  logger: Logger;
  conversation: ConversationService;
  schedules: SchedulesService;
  review: ReviewService;
  /** The simulator runs (no WhatsApp access token): Settings and the menu link to it. */
  simulator: boolean;
  loginLimits?: LoginLimits;
  /** Where an action's closing photo is stored. */
  photos: PhotoStore;
}

export interface Admin {
  /** Sessions in PostgreSQL; also in front of the photo route. */
  session: RequestHandler;
  /** The photo route's guard: the API bearer token or a signed-in user. */
  requireUserOrBearer: RequestHandler;
  /** In front of /simulator: headers, session, signed-in user, no cross-site POSTs. */
  guard: RequestHandler[];
  /** Renders errors as pages (views/error.ejs). */
  pageErrors: ErrorRequestHandler;
  /** The manager pages, mounted at / after the API. */
  pages: Router;
}

/** The manager web pages with sign-in (issue 5): everything but /login needs a signed-in user. */
export function createAdmin(deps: AdminDeps): Admin {
  const { config, db } = deps;
  setViewCache(config.NODE_ENV === 'production');
  const session = createSessionMiddleware(deps);
  const headers = securityHeaders(config.NODE_ENV === 'production');
  const signedIn = requireUser(db);
  const locals: RequestHandler = (req, res, next) => {
    res.locals.simulatorEnabled = deps.simulator;
    next();
  };

  const pages = Router();
  // The REST API and its 404s stay JSON and bearer-only.
  pages.use((req, _res, next) => (req.path === '/api' || req.path.startsWith('/api/') ? next('router') : next()));
  pages.use(headers);
  pages.use(
    '/assets',
    express.static(PUBLIC_DIR, { index: false, maxAge: config.NODE_ENV === 'production' ? '1h' : 0 }),
  );
  pages.get('/favicon.ico', (_req, res) => void res.status(204).end()); // browsers ask on every first visit
  pages.use(
    noStore,
    session,
    saveFlashBeforeRedirect,
    express.urlencoded({ extended: true, limit: '200kb', parameterLimit: 2000 }),
    locals,
  );
  pages.use(
    loginRoutes(db, {
      production: config.NODE_ENV === 'production',
      sessionSecret: config.sessionSecret,
      limits: deps.loginLimits,
    }),
  );
  pages.use(signedIn);
  // The action page's form carries a photo: parsed here, so the CSRF check below reads its _csrf.
  pages.post('/actions/:id', photoUpload('photo'));
  pages.use(csrfProtection);
  // Supervisors review and handle actions; setup pages (and their posts) are refused here, in one place.
  pages.use(SETUP_PATHS, setupOnly);
  pages.use(passwordPages(db, { limits: deps.loginLimits }));
  pages.use(accountPages(db));
  pages.use(
    dashboardRoutes(db, {
      photosDir: config.WHATSAPP_PHOTOS_DIR,
      simulator: deps.simulator,
      timeZone: config.DEFAULT_TIMEZONE,
    }),
  );
  pages.use(assignmentPages(db, deps.conversation, { timeZone: config.DEFAULT_TIMEZONE }));
  pages.use(submissionPages(db, deps.review, { companyName: config.COMPANY_NAME, timeZone: config.DEFAULT_TIMEZONE }));
  pages.use(actionPages(db, { timeZone: config.DEFAULT_TIMEZONE, photos: deps.photos }));
  pages.use(schedulePages(db, deps.schedules, { defaultTimezone: config.DEFAULT_TIMEZONE }));
  pages.use(templatePages(db));
  pages.use(cataloguePages(db, config.DEFAULT_COUNTRY));
  pages.use(readingsPages(db, { timeZone: config.DEFAULT_TIMEZONE }));
  pages.use(unknownSendersPages(db));
  pages.use(settingsPages(db, { simulator: deps.simulator }));
  pages.use(pageNotFound);
  pages.use(pageErrorHandler);

  return {
    session,
    requireUserOrBearer: requireUserOrBearer(db, config.apiToken),
    guard: [headers, noStore, session, signedIn, sameOriginPosts],
    pageErrors: pageErrorHandler,
    pages,
  };
}
