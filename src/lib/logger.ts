import { pino, type Logger } from 'pino';
import { errorSummary, isQueryError } from './db/pg-errors.js';

export type { Logger };

const REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-hub-signature-256"]',
  'res.headers["set-cookie"]',
  '*.accessToken',
  '*.password',
];

/**
 * A logged error as pino writes it, except a database query error: its message and stack start with the
 * statement and its parameters (which can hold operators' messages), so only PostgreSQL's code and
 * message are kept.
 */
function errSerializer(err: unknown) {
  if (isQueryError(err)) return { type: 'DatabaseError', message: errorSummary(err) };
  return pino.stdSerializers.err(err as Error);
}

/** One root logger per process; components take `logger.child({ component })`. */
export function createLogger(opts: { level: string; pretty: boolean }): Logger {
  const options = {
    level: opts.level,
    redact: { paths: REDACT, censor: '[redacted]' },
    serializers: { err: errSerializer },
  };
  if (opts.pretty) {
    return pino({
      ...options,
      transport: {
        target: 'pino-pretty',
        // The component on the message's line, not on a line of its own.
        options: {
          translateTime: 'SYS:HH:MM:ss.l',
          ignore: 'pid,hostname,component',
          messageFormat: '{if component}[{component}] {end}{msg}',
        },
      },
    });
  }
  // ERROR and FATAL (someone must act) go to stderr, so `pm2 logs kinto-app --err` shows exactly those.
  return pino(
    options,
    pino.multistream(
      [
        { level: 'trace', stream: process.stdout },
        { level: 'error', stream: process.stderr },
      ],
      { dedupe: true },
    ),
  );
}
