import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ejs from 'ejs';
import type { RequestHandler, Response } from 'express';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const VIEWS_DIR = path.join(ROOT, 'views');
export const PUBLIC_DIR = path.join(ROOT, 'public');

/** Where the simulator serves public/app.css and public/simulator.js (under its own mount point). */
export const ASSETS_PATH = '/simulator/assets';

/** Whose chat: an operator's number, or a username written without a number. */
export type ChatRef = { phone: string } | { username: string };

const refQuery = (ref: ChatRef) =>
  'username' in ref ? `username=${encodeURIComponent(ref.username)}` : `phone=${encodeURIComponent(ref.phone)}`;

/** The chat page of one person; `assigned` shows the outcome of the assign form. */
export const chatUrl = (ref: ChatRef, assigned?: 'started' | 'queued') =>
  `/simulator?${refQuery(ref)}${assigned ? `&assigned=${assigned}` : ''}`;

/** What the page polls for new messages. */
export const messagesUrl = (ref: ChatRef) => `/simulator/messages?${refQuery(ref)}`;

/** "14:05:09" in the server's time zone; public/simulator.js redraws it in the browser's. */
const clockTime = (iso: string) => new Date(iso).toLocaleTimeString('en-GB', { hour12: false });

/** Renders a view from views/ (escaping is EJS's `<%= %>`; the views never print data with `<%-`). */
export async function renderView(
  res: Response,
  status: number,
  view: string,
  data: Record<string, unknown>,
): Promise<void> {
  const html = await ejs.renderFile(
    path.join(VIEWS_DIR, `${view}.ejs`),
    { assets: ASSETS_PATH, time: clockTime, ...data },
    { root: VIEWS_DIR },
  );
  res.status(status).type('html').send(html);
}

/** A page saying what is wrong with what was sent, with a way back. Never a 5xx for the newcomer's input. */
export function problemPage(res: Response, status: number, message: string, back?: ChatRef | null): Promise<void> {
  return renderView(res, status, 'simulator-error', {
    status,
    message,
    backHref: back ? chatUrl(back) : '/simulator',
  });
}

/** No inline scripts or styles anywhere in the simulator, so the page runs under a strict policy. */
export const securityHeaders: RequestHandler = (_req, res, next) => {
  res.set({
    'Content-Security-Policy':
      "default-src 'self'; img-src 'self'; style-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'",
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'same-origin',
  });
  next();
};
