import { describe, expect, it } from 'vitest';
import { reviewStateWords } from './review-words.js';

describe('reviewStateWords', () => {
  it.each([
    { reviewStatus: 'not_required', words: 'Not required' },
    { reviewStatus: 'pending', words: 'Waiting for review' },
    { reviewStatus: 'approved', words: 'Approved' },
    { reviewStatus: 'rejected', words: 'Rejected' },
    { reviewStatus: 'rework', words: 'Sent back for rework' },
    { reviewStatus: null, words: '' },
  ])('when the review state is $reviewStatus, then "$words"', ({ words, ...r }) => {
    expect(reviewStateWords(r)).toBe(words);
  });
});
