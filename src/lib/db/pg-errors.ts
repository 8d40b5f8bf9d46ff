import pg from 'pg';

/**
 * The PostgreSQL error codes (SQLSTATE) the code reacts to, by their names in the PostgreSQL manual's
 * "PostgreSQL Error Codes" appendix. Compare them with pgCode(err) from transaction.ts.
 */
export const PG_UNIQUE_VIOLATION = '23505';
export const PG_FOREIGN_KEY_VIOLATION = '23503';
export const PG_DEADLOCK_DETECTED = '40P01';
export const PG_SERIALIZATION_FAILURE = '40001';
export const PG_LOCK_NOT_AVAILABLE = '55P03';
export const PG_QUERY_CANCELED = '57014';

/**
 * What went wrong in a database call, without the statement or its parameters: drizzle wraps a failed
 * query in an error whose message is the whole SQL text and every parameter (operators' messages
 * included), which must stay out of logs and `last_error`. Returns PostgreSQL's own message with its
 * code ("55P03 canceling statement due to lock timeout"), or the error's message when it is no query error.
 */
export function errorSummary(err: unknown): string {
  for (let e: unknown = err, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return `${code} ${String(message)}`;
  }
  const message = err instanceof Error ? err.message : String(err);
  return message.startsWith('Failed query:') ? 'database query failed' : message;
}

/**
 * A drizzle query error (its message holds the statement and its parameters), or pg's own from a statement run
 * on the client (runPrepared): its `detail` can hold a row's values (a phone number in a unique violation).
 */
export const isQueryError = (err: unknown): boolean =>
  err instanceof pg.DatabaseError || (err instanceof Error && err.message.startsWith('Failed query:'));
