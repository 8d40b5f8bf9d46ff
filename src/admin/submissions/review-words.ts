/**
 * A submission's review in words, as the report and the CSV's review_state column say it. Built on the review
 * fields main has today (needs_review, reviewed_at); the review states of issue 18 item 1 will replace it.
 */
export function reviewStateWords(r: { needsReview: boolean; reviewedAt: Date | null }): string {
  if (!r.needsReview) return 'Not required';
  return r.reviewedAt ? 'Reviewed' : 'Waiting for review';
}
