import type { InboundEvent, TransitionResult } from './conversation-types.js';

export interface InboundOutcome {
  /** The photo this event brought is referenced by the session or an answer (else the caller deletes it). */
  photoKept: boolean;
  /** A stored photo that nothing references any more. */
  discardedPhoto?: string;
}

/** Which photos the caller keeps or deletes once the transition is committed. */
export function outcomeOf(event: InboundEvent, result: TransitionResult): InboundOutcome {
  const photo = event.kind === 'image' ? event.photo : null;
  const photoKept = photo !== null && (result.state.pendingPhoto === photo || result.answer?.photo === photo);
  return { photoKept, ...(result.discardedPhoto ? { discardedPhoto: result.discardedPhoto } : {}) };
}
