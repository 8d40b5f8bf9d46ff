import type { InboundEvent } from '../conversation/conversation-types.js';
import type { InboxRow } from './inbox-repository.js';

type Payload = {
  type?: string;
  text?: { body?: unknown };
  interactive?: { type?: string; button_reply?: { title?: unknown }; list_reply?: { title?: unknown } };
  button?: { text?: unknown; payload?: unknown };
};

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** Turns a recorded Meta message into the state machine's event (photos arrive with the channel issue). */
export function toInboundEvent(row: InboxRow): InboundEvent {
  const p = (row.payload ?? {}) as Payload;
  const at = row.sentAt;
  if (row.type === 'text') {
    const body = str(p.text?.body);
    if (body !== null) return { kind: 'text', body, at };
  }
  if (row.type === 'interactive') {
    const title = str(p.interactive?.button_reply?.title) ?? str(p.interactive?.list_reply?.title);
    if (title !== null) return { kind: 'text', body: title, at };
  }
  if (row.type === 'button') {
    const text = str(p.button?.text) ?? str(p.button?.payload);
    if (text !== null) return { kind: 'text', body: text, at };
  }
  return { kind: 'unsupported', type: row.type, at };
}
