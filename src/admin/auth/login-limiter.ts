import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import type { RequestHandler } from 'express';
import type { Db } from '../../lib/db/client.js';
import { PgAttemptsStore } from './attempts-store.js';
import { renderPage } from '../http/render.js';

export interface LoginLimits {
  /** Failed attempts allowed per address and email in the window (default 10). */
  perEmail?: number;
  /** Failed attempts allowed per address, any email (default 50). */
  perAddress?: number;
  windowMs?: number;
}

const emailOf = (body: unknown) => {
  const email = (body as { email?: unknown } | undefined)?.email;
  return (typeof email === 'string' ? email : '').trim().toLowerCase().slice(0, 254);
};

/**
 * Failed sign-ins are counted per client address and email, and per address alone (guessing many emails);
 * a successful sign-in does not count. Past the limit the login page answers 429 without checking anything.
 * The counts live in PostgreSQL, shared by every PM2 instance.
 */
export function loginLimiter(db: Db, limits: LoginLimits = {}): RequestHandler[] {
  const windowMs = limits.windowMs ?? 15 * 60 * 1000;
  const minutes = Math.ceil(windowMs / 60_000);
  const common = {
    windowMs,
    skipSuccessfulRequests: true,
    standardHeaders: 'draft-8' as const,
    legacyHeaders: false,
    handler: ((req, res, next) => {
      req.log?.warn({ ip: req.ip }, 'Sign-in attempts rate-limited');
      renderPage(
        res,
        'login',
        {
          title: 'Sign in',
          email: emailOf(req.body),
          next: '/',
          error: `Too many failed sign-ins. Wait ${minutes} minutes and try again.`,
        },
        429,
      ).catch(next);
    }) as RequestHandler,
  };
  return [
    rateLimit({
      ...common,
      store: new PgAttemptsStore(db, 'address'),
      limit: limits.perAddress ?? 50,
      keyGenerator: (req) => ipKeyGenerator(req.ip ?? ''),
    }),
    rateLimit({
      ...common,
      store: new PgAttemptsStore(db, 'email'),
      limit: limits.perEmail ?? 10,
      keyGenerator: (req) => `${ipKeyGenerator(req.ip ?? '')}|${emailOf(req.body)}`,
    }),
  ];
}
