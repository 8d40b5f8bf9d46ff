import { toE164 } from '../lib/phone.js';

/** What the operator sent from the simulator page, as the page shows it again. */
export interface InboundEntry {
  waMessageId: string;
  at: Date;
  kind: 'text' | 'button' | 'photo';
  /** The text typed, the button tapped, or the photo's caption ('' when none). */
  text: string;
  /** The simulator media id of a photo, so the page can show it. */
  mediaId?: string;
}

const MAX_PER_PHONE = 200;

/** The operator's side of each chat, in memory and bounded: the server keeps its own durable copy in whatsapp_inbox. */
export class InboundLog {
  private readonly byPhone = new Map<string, InboundEntry[]>();

  constructor(private readonly maxPerPhone = MAX_PER_PHONE) {}

  add(phone: string, entry: InboundEntry): void {
    const key = keyOf(phone);
    const list = this.byPhone.get(key) ?? [];
    list.push(entry);
    if (list.length > this.maxPerPhone) list.splice(0, list.length - this.maxPerPhone);
    this.byPhone.set(key, list);
  }

  /** Oldest first. */
  list(phone: string): InboundEntry[] {
    return [...(this.byPhone.get(keyOf(phone)) ?? [])];
  }
}

function keyOf(phone: string): string {
  return toE164(phone) ?? phone.trim();
}
