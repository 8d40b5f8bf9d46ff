import { randomBytes } from 'node:crypto';
import { toE164 } from '../lib/phone.js';
import { isPhoneAddress } from '../lib/phone.js';
import type { OutgoingMessage, SendResult, WhatsAppSender } from './whatsapp-types.js';
import { MediaDownloadError } from './graph-client.js';
import { MAX_PHOTO_BYTES } from '../photos/photo-store.js';
import type { MediaSource } from './media-source.js';

export interface SimulatedMessage {
  /** The address it was sent to: a phone number, or a BSUID for a person known only by a username. */
  to: string;
  /** Which of Meta's fields the address went in, as the Graph client would put it: a BSUID goes in `recipient`. */
  field: 'to' | 'recipient';
  message: OutgoingMessage;
  waMessageId: string;
  at: Date;
}

const MAX_PER_PHONE = 500;

/** Outgoing messages kept in memory when no WhatsApp access token is configured (development). */
export class SimulatorStore implements MediaSource {
  private readonly byPhone = new Map<string, SimulatedMessage[]>();
  private seq = 0;
  private readonly order = new WeakMap<SimulatedMessage, number>();

  constructor(private readonly maxPerPhone = MAX_PER_PHONE) {}

  record(to: string, message: OutgoingMessage): SimulatedMessage {
    const entry: SimulatedMessage = {
      to,
      field: isPhoneAddress(to) ? 'to' : 'recipient',
      message,
      waMessageId: `wamid.SIM.${randomBytes(12).toString('hex')}`,
      at: new Date(),
    };
    this.order.set(entry, this.seq++);
    const key = keyOf(to);
    const list = this.byPhone.get(key) ?? [];
    list.push(entry);
    if (list.length > this.maxPerPhone) list.splice(0, list.length - this.maxPerPhone);
    this.byPhone.set(key, list);
    return entry;
  }

  /** Oldest first; accepts "+91..." and Meta's "91..." alike, or a BSUID. */
  messagesFor(phone: string): SimulatedMessage[] {
    return [...(this.byPhone.get(keyOf(phone)) ?? [])];
  }

  /** Every kept message, oldest first across all phones. */
  all(): SimulatedMessage[] {
    const seq = (m: SimulatedMessage) => this.order.get(m) ?? 0;
    return [...this.byPhone.values()].flat().sort((a, b) => seq(a) - seq(b));
  }

  clear(): void {
    this.byPhone.clear();
    this.media.clear();
  }

  private readonly media = new Map<string, Buffer>();

  /** Keeps an uploaded photo so the normal media-download path can fetch it, as it would from Meta. */
  addMedia(bytes: Buffer): string {
    const id = `sim-media-${randomBytes(12).toString('hex')}`;
    this.media.set(id, bytes);
    if (this.media.size > MAX_MEDIA) this.media.delete(this.media.keys().next().value!);
    return id;
  }

  fetchMedia(mediaId: string): Promise<Buffer> {
    const bytes = this.media.get(mediaId);
    if (!bytes) return Promise.reject(new MediaDownloadError('not_found', `Simulator media ${mediaId} not found`));
    if (bytes.length > MAX_PHOTO_BYTES)
      return Promise.reject(new MediaDownloadError('too_large', `Media is ${bytes.length} bytes`));
    return Promise.resolve(bytes);
  }
}

const MAX_MEDIA = 100;

/** A BSUID ("US.1349…") starts with a letter and is its own chat; a number is kept as E.164. */
function keyOf(address: string): string {
  const trimmed = address.trim();
  return /^[A-Za-z]/.test(trimmed) ? trimmed : (toE164(trimmed) ?? trimmed);
}

export function createSimulatorSender(store: SimulatorStore): WhatsAppSender {
  return {
    send(to: string, message: OutgoingMessage): Promise<SendResult> {
      return Promise.resolve({ ok: true, waMessageId: store.record(to, message).waMessageId });
    },
    async markRead(): Promise<void> {},
  };
}
