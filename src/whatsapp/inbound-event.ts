import type { InboundEvent } from '../conversation/conversation-service.js';
import type { Logger } from '../lib/logger.js';
import type { PhotoStore } from '../photos/photo-store.js';
import type { InboxRow } from './inbox-repository.js';
import type { MediaSource } from './media-source.js';

type Payload = {
  text?: { body?: unknown };
  image?: { id?: unknown; caption?: unknown };
  interactive?: { button_reply?: { id?: unknown; title?: unknown }; list_reply?: { id?: unknown; title?: unknown } };
  button?: { text?: unknown; payload?: unknown };
};

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/**
 * Turns a recorded Meta message into the state machine's event. For an image this downloads and
 * stores the photo first: network I/O that must happen before, never inside, the locked transaction.
 */
export async function prepareEvent(
  row: InboxRow,
  deps: { media: MediaSource; photos: PhotoStore; logger: Logger },
): Promise<InboundEvent> {
  const p = (row.payload ?? {}) as Payload;
  const at = row.sentAt;
  switch (row.type) {
    case 'text': {
      const body = str(p.text?.body);
      if (body !== null) return { kind: 'text', body, at };
      break;
    }
    case 'interactive': {
      const reply = p.interactive?.button_reply ?? p.interactive?.list_reply;
      const id = str(reply?.id);
      if (id !== null) return { kind: 'button', id, title: str(reply?.title) ?? '', at };
      break;
    }
    case 'button': {
      const payload = str(p.button?.payload) ?? str(p.button?.text);
      if (payload !== null) return { kind: 'button', id: payload, title: str(p.button?.text) ?? payload, at };
      break;
    }
    case 'image': {
      const mediaId = str(p.image?.id);
      if (mediaId === null) break;
      try {
        const photo = await deps.photos.save(await deps.media.fetchMedia(mediaId));
        return { kind: 'image', photo, caption: str(p.image?.caption), at };
      } catch (err) {
        const reason = (err as { reason?: string }).reason ?? 'error';
        const level = reason === 'not_writable' ? 'error' : 'warn';
        deps.logger[level](
          { waMessageId: row.waMessageId, reason, err: (err as Error).message },
          '[WHATSAPP] Photo download failed; asking the operator to resend',
        );
        return { kind: 'photoFailed', at };
      }
    }
  }
  return { kind: 'unsupported', type: row.type, at };
}
