import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ZodError } from 'zod';
import { PG_LOCK_NOT_AVAILABLE } from '../db/pg-errors.js';
import { pgCode } from '../db/transaction.js';
import { AppError, ConflictError, NotFoundError, ValidationError } from '../errors.js';

/** Errors thrown by body-parser carry a 4xx `status` and a `type`. */
function fromBodyParser(err: unknown): AppError | null {
  const e = err as { status?: number; type?: string; expose?: boolean; message?: string };
  if (typeof e?.status !== 'number' || e.status < 400 || e.status >= 500) return null;
  if (e.type === 'entity.too.large') return new AppError(413, 'payload_too_large', 'Request body is too large');
  if (e.type === 'entity.parse.failed') return new AppError(400, 'invalid_json', 'Request body is not valid JSON');
  return new AppError(e.status, e.type ?? 'bad_request', e.expose ? (e.message ?? 'Bad request') : 'Bad request');
}

/** A lock wait that ran out (LOCK_TIMEOUT): someone else is changing the same thing; trying again works. */
function fromDatabase(err: unknown): AppError | null {
  if (pgCode(err) !== PG_LOCK_NOT_AVAILABLE) return null;
  return new ConflictError('Someone else is changing this right now. Please try again in a moment.');
}

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new NotFoundError(`Route ${req.method} ${req.path}`));
};

/** The one place errors become responses: `{ error: { code, message, details?, requestId } }`. */
export const errorMiddleware: ErrorRequestHandler = (err, req, res, _next) => {
  const known =
    err instanceof AppError
      ? err
      : err instanceof ZodError
        ? ValidationError.fromZod(err)
        : (fromBodyParser(err) ?? fromDatabase(err));
  const status = known?.status ?? 500;
  if (!known) req.log?.error({ err }, 'Unhandled error');
  else if (status >= 500) req.log?.error({ err }, known.message);
  else req.log?.info({ code: known.code, status }, known.logMessage ?? known.message);
  if (res.headersSent) return;
  res.status(status).json({
    error: {
      code: known?.code ?? 'internal_error',
      message: known?.message ?? 'Something went wrong on our side; it has been logged.',
      ...(known?.details !== undefined ? { details: known.details } : {}),
      requestId: req.id,
    },
  });
};
