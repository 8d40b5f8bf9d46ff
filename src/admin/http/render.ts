import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ejs from 'ejs';
import type { Request, Response } from 'express';
import type { ZodError } from 'zod';
import { format } from './format.js';
import { takeFlash } from './session.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const VIEWS_DIR = path.join(ROOT, 'views');
export const PUBLIC_DIR = path.join(ROOT, 'public');

let cacheViews = false;
/** Compiled views are cached in production (EJS keys its cache by file name). */
export const setViewCache = (on: boolean) => {
  cacheViews = on;
};

/**
 * Renders views/<view>.ejs with res.locals (user, csrfToken, flash, nav) and `data`. Every value is
 * printed with `<%= %>`, which escapes it; `<%-` is used only for include().
 */
export async function renderPage(
  res: Response,
  view: string,
  data: Record<string, unknown> = {},
  status = 200,
): Promise<void> {
  // The previous request's message is shown by the next full page, not by a fragment or a stray request.
  const flash = view.startsWith('partials/') ? null : takeFlash(res.req);
  const html = await ejs.renderFile(
    path.join(VIEWS_DIR, `${view}.ejs`),
    { ...res.locals, fmt: format, errors: {}, values: {}, flash, ...data },
    { root: VIEWS_DIR, cache: cacheViews },
  );
  res.status(status).type('html').send(html);
}

/** The posted form as it came (Express types req.body as `any`), to show what was typed again next to its errors. */
export const formValues = (req: Request): Record<string, unknown> => (req.body ?? {}) as Record<string, unknown>;

/** A zod error as { field: first message }, for messages next to each field. Nested paths join with dots. */
export function fieldErrors(err: ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of err.issues) {
    const key = issue.path.join('.') || '_form';
    out[key] ??= issue.message;
  }
  return out;
}
