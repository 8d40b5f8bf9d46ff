import type { OutgoingMessage } from './outgoing-message.js';

export interface ReplyButton {
  id: string; // at most 256 characters
  title: string; // at most 20 characters
}

/** A row of a list message: id at most 256 characters, title 24, description 72. */
export interface ListRow {
  id: string;
  title: string;
  description: string;
}

/**
 * What the operator is sent. Buttons: at most 3. A list: one section of at most 10 rows, opened by a
 * button labelled `button` (at most 20 characters). toOutgoing splits bodies over Meta's limits.
 */
export type Reply =
  | { kind: 'text'; body: string }
  | { kind: 'buttons'; body: string; buttons: ReplyButton[] }
  | { kind: 'list'; body: string; button: string; section: string; rows: ListRow[] };

/** Meta's text bodies are safe up to 1024 characters; longer replies (a long summary) are split. */
export const MAX_TEXT = 1024;

const MAX_BUTTON_TITLE = 20;
const MAX_LIST_ROWS = 10;

/** A reply as Meta messages: bodies over 1024 characters go out as leading text parts, then the rest. */
export function toOutgoing(reply: Reply): OutgoingMessage[] {
  const parts = splitText(reply.body);
  const texts = (reply.kind === 'text' ? parts : parts.slice(0, -1)).map((body): OutgoingMessage => ({
    type: 'text',
    text: { body, preview_url: false },
  }));
  if (reply.kind === 'text') return texts;
  const body = { text: parts[parts.length - 1]! };
  // The conversation builds buttons and rows within Meta's limits (buttons.ts); the caps here only keep a slip from costing a send.
  const last: OutgoingMessage =
    reply.kind === 'buttons'
      ? {
          type: 'interactive',
          interactive: {
            type: 'button',
            body,
            action: {
              buttons: reply.buttons.slice(0, 3).map((b) => ({
                type: 'reply',
                reply: { id: b.id.slice(0, 256), title: b.title.slice(0, MAX_BUTTON_TITLE) },
              })),
            },
          },
        }
      : {
          type: 'interactive',
          interactive: {
            type: 'list',
            body,
            action: {
              button: reply.button,
              sections: [
                {
                  title: reply.section,
                  rows: reply.rows
                    .slice(0, MAX_LIST_ROWS)
                    .map(({ id, title, description }) => ({ id, title, description })),
                },
              ],
            },
          },
        };
  return [...texts, last];
}

export type OutboxItem = Reply | { kind: 'raw'; message: OutgoingMessage };

export function splitText(body: string, max = MAX_TEXT): string[] {
  const parts: string[] = [];
  let rest = body;
  while (rest.length > max) {
    const cut = rest.lastIndexOf('\n', max) > max / 2 ? rest.lastIndexOf('\n', max) : max;
    parts.push(rest.slice(0, cut));
    rest = rest.slice(cut).replace(/^\n/, '');
  }
  parts.push(rest);
  return parts;
}

/** Replies as outbox rows (kind and Meta payload), in the order they are sent. */
export const outboxRows = (replies: OutboxItem[]) =>
  replies
    .flatMap((r) => (r.kind === 'raw' ? [r.message] : toOutgoing(r)))
    .map((payload) => ({ kind: payload.type, payload }));
