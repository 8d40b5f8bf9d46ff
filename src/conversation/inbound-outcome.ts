import type { InboundEvent, TransitionResult } from './conversation-types.js';

export interface InboundOutcome {
  /** The photo this event brought is referenced by the session or an answer (else the caller deletes it). */
  photoKept: boolean;
  /** A stored photo that nothing references any more. */
  discardedPhoto?: string;
}

/** Meta's timestamps are whole seconds and clocks drift a little: only clearly older messages count. */
const STALE_SLACK_MS = 5_000;

/** Text or a photo sent before this session began was meant for the checklist that just ended. */
export function sentBeforeSession(event: InboundEvent, sessionCreatedAt: Date | null): boolean {
  if (event.kind !== 'text' && event.kind !== 'image') return false;
  return sessionCreatedAt !== null && event.at.getTime() < sessionCreatedAt.getTime() - STALE_SLACK_MS;
}

/** Which photos the caller keeps or deletes once the transition is committed. */
export function outcomeOf(event: InboundEvent, result: TransitionResult): InboundOutcome {
  const photo = event.kind === 'image' ? event.photo : null;
  const photoKept = photo !== null && (result.state.pendingPhoto === photo || result.answer?.photo === photo);
  return { photoKept, ...(result.discardedPhoto ? { discardedPhoto: result.discardedPhoto } : {}) };
}
