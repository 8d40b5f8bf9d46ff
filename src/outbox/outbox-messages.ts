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
  /** `asks`: a question sent without buttons (a typed question that allows no NA), for the read-time rule. */
  | { kind: 'text'; body: string; asks?: number }
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
  // The conversation builds buttons and rows within Meta's limits (buttons.ts); these caps only keep a slip
  // from costing a send.
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
    const newline = rest.lastIndexOf('\n', max);
    const space = rest.lastIndexOf(' ', max - 1) + 1; // the space stays at the end of the part
    // Between lines, else between words near the end, else between visible characters.
    const cut = newline > max / 2 ? newline : space > (max * 3) / 4 ? space : safeCut(rest, max);
    parts.push(rest.slice(0, cut));
    rest = rest.slice(cut).replace(/^\n/, '');
  }
  parts.push(rest);
  return parts;
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Printable ASCII or a newline: never part of a longer visible character with its neighbour. */
const plain = (code: number) => (code >= 0x20 && code <= 0x7e) || code === 0x0a;
/** Between two plain characters lies a boundary of visible characters for certain. */
const plainPair = (text: string, i: number) => i === 0 || (plain(text.charCodeAt(i - 1)) && plain(text.charCodeAt(i)));

/**
 * The last index at or before `max` that starts a visible character (never inside an emoji sequence,
 * a flag or a letter with its accents), so no part carries half a character. Text that is mostly plain
 * needs no segmenting; otherwise only the stretch from the last certain boundary is segmented, so the
 * cost stays linear in the length. A "character" longer than `max` (a deliberately endless run of
 * accents) is cut between code points, never inside a surrogate pair. Whether a character starts at i
 * depends on the text before i and the whole code point at i, hence the segmented stretch ends at max + 2.
 */
function safeCut(text: string, max: number): number {
  for (let i = max; i > max - 16; i--) if (plainPair(text, i)) return i;
  let anchor = max - 16;
  while (!plainPair(text, anchor)) anchor--;
  let best = anchor;
  for (const g of graphemes.segment(text.slice(anchor, max + 2))) if (anchor + g.index <= max) best = anchor + g.index;
  if (best > 0) return best;
  const high = text.charCodeAt(max - 1);
  return high >= 0xd800 && high <= 0xdbff ? max - 1 : max;
}

export interface OutboxRowValues {
  kind: string;
  payload: unknown;
  /** The question the row asks (every part of a split question), else null. */
  taskIndex: number | null;
}

/**
 * Replies as outbox rows (kind, Meta payload, the question asked), in the order they are sent. `asks` names the
 * question a reply asks (the conversation knows it from the buttons' ids); every part of a split reply carries it.
 */
export const outboxRows = (
  replies: OutboxItem[],
  asks: (r: OutboxItem) => number | null = () => null,
): OutboxRowValues[] =>
  replies.flatMap((r) => {
    const taskIndex = asks(r);
    return (r.kind === 'raw' ? [r.message] : toOutgoing(r)).map((payload) => ({
      kind: payload.type,
      payload: storable(payload),
      taskIndex,
    }));
  });

/**
 * The payload with every string made storable as jsonb, which refuses a lone UTF-16 surrogate and NUL:
 * a reply must never be the reason an operator's answer cannot be saved.
 */
function storable<T>(value: T): T {
  if (typeof value === 'string') return (value.replaceAll('\u0000', '') as WellFormable).toWellFormed() as T;
  if (Array.isArray(value)) return value.map(storable) as T;
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, storable(v)])) as T;
  return value;
}

/** String#toWellFormed is in Node 20 but not in the ES2022 library the compiler targets. */
type WellFormable = string & { toWellFormed(): string };
