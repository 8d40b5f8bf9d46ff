import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ZodError } from 'zod';
import { AppError, ValidationError } from '../../lib/errors.js';
import { renderPage } from './render.js';

export const pageNotFound: RequestHandler = (req, _res, next) => {
  next(new AppError(404, 'not_found', `There is no page at ${req.path}.`));
};

const TITLES: Record<number, string> = {
  400: 'Please check what you sent',
  401: 'Please sign in',
  403: 'Not allowed',
  404: 'Not found',
  409: 'Not possible right now',
  413: 'Too much data',
  429: 'Too many attempts',
};

/**
 * Like the JSON error middleware, but for pages: renders views/error.ejs. Unknown errors are logged with their stack.
 */
export const pageErrorHandler: ErrorRequestHandler = (err, req, res, next) => {
  if (res.headersSent) return next(err);
  const httpStatus = (err as { status?: unknown })?.status;
  const known =
    err instanceof AppError
      ? err
      : err instanceof ZodError
        ? ValidationError.fromZod(err)
        : typeof httpStatus === 'number' && httpStatus >= 400 && httpStatus < 500
          ? new AppError(httpStatus, 'bad_request', 'The request was not understood.')
          : null;
  const status = known?.status ?? 500;
  if (!known || status >= 500) req.log?.error({ err }, 'Page failed');
  else req.log?.info({ code: known.code, status }, known.message);
  renderPage(
    res,
    'error',
    {
      title: TITLES[status] ?? 'Something went wrong',
      status,
      message: known?.message ?? 'Something went wrong on our side; it has been logged.',
      requestId: req.id,
      signIn: status === 401,
    },
    status,
  ).catch((renderErr: unknown) => {
    req.log?.error({ err: renderErr }, 'Error page failed to render');
    if (!res.headersSent)
      res
        .status(status)
        .type('text/plain')
        .send(known?.message ?? 'Something went wrong');
  });
};
