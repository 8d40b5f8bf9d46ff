import session from 'express-session';
import connectPgSimple from 'connect-pg-simple';
import type { Request, RequestHandler } from 'express';
import type { Config } from '../../lib/config.js';
import type { Db } from '../../lib/db/client.js';
import type { Logger } from '../../lib/logger.js';

export interface Flash {
  kind: 'ok' | 'error';
  text: string;
}

declare module 'express-session' {
  interface SessionData {
    userId: number;
    /** When this session signed in (ms); a password changed after it ends the session. */
    authAt: number;
    flash: Flash;
    /** Left alone in a session that disabling its account ended, so its /login says why. */
    disabledUserId: number;
  }
}

export const SESSION_COOKIE = 'kinto.sid';
const SESSION_HOURS = 12;

/** Sessions in PostgreSQL (table user_sessions, from our migrations). A session lasts 12 hours from sign-in. */
export function createSessionMiddleware(opts: { config: Config; db: Db; logger: Logger }): RequestHandler {
  const log = opts.logger.child({ component: 'sessions' });
  const PgStore = connectPgSimple(session);
  const store = new PgStore({
    pool: opts.db.$client,
    tableName: 'user_sessions',
    createTableIfMissing: false,
    // Without touching, a page view that changes nothing writes nothing (the progress page polls every 3 s).
    disableTouch: true,
    pruneSessionInterval: 15 * 60,
    errorLog: (message: unknown, err?: unknown) => log.warn({ err }, String(message)),
  });
  return session({
    name: SESSION_COOKIE,
    secret: opts.config.sessionSecret,
    store,
    resave: false,
    saveUninitialized: false,
    unset: 'destroy',
    cookie: {
      httpOnly: true,
      sameSite: 'lax',
      // Behind a TLS proxy on loopback (trust proxy), req.secure follows X-Forwarded-Proto.
      secure: opts.config.NODE_ENV === 'production',
      maxAge: SESSION_HOURS * 3600 * 1000,
      path: '/',
    },
  });
}

/**
 * express-session saves a changed session as the response ends, after it has written the headers, so a
 * browser that follows a 303 at once can read the session before the flash is in it (seen in Chromium
 * on a busy machine: "Assigned ..." never shown). A redirect that carries a flash waits for the save.
 */
export const saveFlashBeforeRedirect: RequestHandler = (req, res, next) => {
  const redirect = res.redirect.bind(res) as (...args: unknown[]) => void;
  res.redirect = (...args: unknown[]) => {
    if (!req.session?.flash) return redirect(...args);
    req.session.save((err) => (err ? next(err) : redirect(...args)));
  };
  next();
};

export function setFlash(req: Request, kind: Flash['kind'], text: string): void {
  if (req.session) req.session.flash = { kind, text };
}

/** The message left by the previous request (shown once). */
export function takeFlash(req: Request): Flash | null {
  const flash = req.session?.flash ?? null;
  if (flash) delete req.session.flash;
  return flash;
}

export const promisify = (fn: (cb: (err?: Error | null) => void) => void) =>
  new Promise<void>((resolve, reject) => fn((err) => (err ? reject(err) : resolve())));
