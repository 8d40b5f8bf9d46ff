import { describe, expect, it } from 'vitest';
import { reviewStateWords } from './review-words.js';

describe('reviewStateWords', () => {
  it.each([
    { needsReview: false, reviewedAt: null, words: 'Not required' },
    { needsReview: true, reviewedAt: null, words: 'Waiting for review' },
    { needsReview: true, reviewedAt: new Date('2026-12-01T10:00:00Z'), words: 'Reviewed' },
  ])('when needsReview is $needsReview and reviewedAt is $reviewedAt, then "$words"', ({ words, ...r }) => {
    expect(reviewStateWords(r)).toBe(words);
  });
});
