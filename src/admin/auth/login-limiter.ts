import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import type { Request, RequestHandler } from 'express';
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

/** How one guarded form tells the limiter whose password is tried and how to say "too many". */
export interface PasswordGuard {
  /** The email of the account whose password the request tries. */
  email(req: Request): string;
  /** Answers a request past the limit (429), in `minutes` the window's length. */
  refuse(minutes: number): RequestHandler;
  /** Whether the answer was a wrong password (only those count). */
  wrongPassword(status: number): boolean;
}

/**
 * Failed password checks are counted per client address and email, and per address alone (guessing many
 * emails); a successful one does not count. Past the limit the form answers 429 without checking anything.
 * The counts live in PostgreSQL, shared by every PM2 instance and by every form that checks a password
 * (sign-in and Settings' current password), so guessing in one place uses up the tries of the other.
 */
export function passwordLimiter(db: Db, limits: LoginLimits, guard: PasswordGuard): RequestHandler[] {
  const windowMs = limits.windowMs ?? 15 * 60 * 1000;
  const refuse = guard.refuse(Math.ceil(windowMs / 60_000));
  const common = {
    windowMs,
    skipSuccessfulRequests: true,
    requestWasSuccessful: (_req: Request, res: { statusCode: number }) => !guard.wrongPassword(res.statusCode),
    standardHeaders: 'draft-8' as const,
    legacyHeaders: false,
    handler: ((req, res, next) => {
      req.log?.warn({ ip: req.ip, path: req.path }, 'Password attempts rate-limited');
      refuse(req, res, next);
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
      keyGenerator: (req) => `${ipKeyGenerator(req.ip ?? '')}|${guard.email(req)}`,
    }),
  ];
}

/** The sign-in form's limiter: every failed sign-in counts (the form answers them all with 401). */
export function loginLimiter(db: Db, limits: LoginLimits = {}): RequestHandler[] {
  return passwordLimiter(db, limits, {
    email: (req) => emailOf(req.body),
    wrongPassword: (status) => status >= 400,
    refuse: (minutes) => (req, res, next) => {
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
    },
  });
}
