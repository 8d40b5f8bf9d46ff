import type { InboundEvent } from '../conversation/conversation-service.js';
import type { Logger } from '../lib/logger.js';
import type { PhotoStore } from '../photos/photo-store.js';
import type { InboxRow } from './inbox-repository.js';
import type { MediaSource } from './media-source.js';

type Media = { id?: unknown; caption?: unknown; mime_type?: unknown; filename?: unknown };

type Payload = {
  text?: { body?: unknown };
  image?: Media;
  /** A file sent with "send as document": a photo sent that way is still a photo. */
  document?: Media;
  reaction?: { message_id?: unknown; emoji?: unknown };
  /** A reply quoting one of our messages (swipe-to-reply): its wamid. */
  context?: { id?: unknown };
  interactive?: { button_reply?: { id?: unknown; title?: unknown }; list_reply?: { id?: unknown; title?: unknown } };
  button?: { text?: unknown; payload?: unknown };
};

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

const IMAGE_FILE = /\.(jpe?g|png|webp|heic)$/i;

/** A document that is a photo: an image mime type, or a photo's file name. */
const photoDocument = (d: Media | undefined): boolean =>
  (str(d?.mime_type)?.toLowerCase().startsWith('image/') ?? false) || IMAGE_FILE.test(str(d?.filename) ?? '');

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
  const quoted = str(p.context?.id);
  const replyTo = quoted === null || quoted === '' ? {} : { replyTo: quoted };
  switch (row.type) {
    case 'text': {
      const body = str(p.text?.body);
      if (body !== null) return { kind: 'text', body, at, ...replyTo };
      break;
    }
    case 'reaction': {
      const messageId = str(p.reaction?.message_id);
      // A removed reaction comes without an emoji (or an empty one).
      if (messageId !== null) return { kind: 'reaction', emoji: str(p.reaction?.emoji) ?? '', replyTo: messageId, at };
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
    case 'document':
    case 'image': {
      const media = row.type === 'image' ? p.image : photoDocument(p.document) ? p.document : undefined;
      const mediaId = str(media?.id);
      if (mediaId === null) break;
      try {
        const photo = await deps.photos.save(await deps.media.fetchMedia(mediaId));
        return { kind: 'image', photo, caption: str(media?.caption), at, ...replyTo };
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
