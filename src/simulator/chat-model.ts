import type { SimulatedMessage } from '../whatsapp/simulator-sender.js';
import type { OutgoingMessage } from '../whatsapp/whatsapp-types.js';
import type { InboundEntry } from './inbound-log.js';

/** A tappable button under a server message: a reply button, or a template's quick reply. */
export interface ChatButton {
  kind: 'reply' | 'quick';
  id: string;
  title: string;
}

/** A list message's menu: its button opens the rows, grouped in sections, as WhatsApp shows them. */
export interface ChatList {
  button: string;
  sections: { title: string; rows: { id: string; title: string; description: string }[] }[];
}

/** One bubble of the simulator chat, the same for the page and for GET /simulator/messages. */
export interface ChatItem {
  key: string;
  /** in: the operator sent it; out: the server sent it. */
  direction: 'in' | 'out';
  at: string;
  kind: 'text' | 'buttons' | 'list' | 'template' | 'button' | 'photo';
  text: string;
  buttons: ChatButton[];
  /** For a list message: its menu (a tap on a row goes as Meta's list_reply). */
  list: ChatList | null;
  /** For photos the operator sent: where the page can load it. */
  mediaId: string | null;
}

/** The template's own quick-reply label lives in Meta's approved template; ours is "Start". */
const QUICK_REPLY_TITLE = 'Start';

export function outgoingItem(m: SimulatedMessage): ChatItem {
  const base = { key: m.waMessageId, direction: 'out' as const, at: m.at.toISOString(), mediaId: null };
  return { ...base, ...describeOutgoing(m.message) };
}

function describeOutgoing(message: OutgoingMessage): Pick<ChatItem, 'kind' | 'text' | 'buttons' | 'list'> {
  switch (message.type) {
    case 'text':
      return { kind: 'text', text: message.text.body, buttons: [], list: null };
    case 'interactive': {
      const i = message.interactive;
      if (i.type === 'list')
        return {
          kind: 'list',
          text: i.body.text,
          buttons: [],
          list: { button: i.action.button, sections: i.action.sections },
        };
      return {
        kind: 'buttons',
        text: i.body.text,
        buttons: i.action.buttons.map((b) => ({ kind: 'reply', id: b.reply.id, title: b.reply.title })),
        list: null,
      };
    }
    case 'template': {
      const components = message.template.components ?? [];
      const params = components.flatMap((c) => (c.type === 'body' ? c.parameters.map((p) => p.text) : []));
      const buttons = components.flatMap((c) =>
        c.type === 'button'
          ? c.parameters.map((p): ChatButton => ({ kind: 'quick', id: p.payload, title: QUICK_REPLY_TITLE }))
          : [],
      );
      return {
        kind: 'template',
        text: `[template ${message.template.name}] ${params.join(', ')}`.trim(),
        buttons,
        list: null,
      };
    }
  }
}

export function inboundItem(e: InboundEntry): ChatItem {
  return {
    key: e.waMessageId,
    direction: 'in',
    at: e.at.toISOString(),
    kind: e.kind,
    text: e.text,
    buttons: [],
    list: null,
    mediaId: e.mediaId ?? null,
  };
}

/** Both sides of the chat, oldest first; on a tie the operator's message comes before the server's reply. */
export function chatItems(inbound: InboundEntry[], outgoing: SimulatedMessage[]): ChatItem[] {
  const items = [...inbound.map(inboundItem), ...outgoing.map(outgoingItem)];
  return items.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}
