import type { InboundEvent, TransitionResult } from './conversation-types.js';

export interface InboundOutcome {
  /** The photo this event brought is referenced by the session or an answer (else the caller deletes it). */
  photoKept: boolean;
  /** Stored photos that nothing references any more. */
  discardedPhotos?: string[];
}

/** Which photos the caller keeps or deletes once the transition is committed. */
export function outcomeOf(event: InboundEvent, result: TransitionResult): InboundOutcome {
  const photo = event.kind === 'image' ? event.photo : null;
  const kept = [...result.state.draft.photos, ...(result.answer?.photos ?? []), result.answer?.photo];
  const photoKept = photo !== null && kept.includes(photo);
  return { photoKept, ...(result.discardedPhotos ? { discardedPhotos: result.discardedPhotos } : {}) };
}
