import { reviewStatusWords, type ReviewStatus } from '../../review/review-types.js';

/** A submission's review in words, as the report and the CSV's review_state column say it (issue 18 item 1). */
export function reviewStateWords(r: { reviewStatus: string | null }): string {
  return r.reviewStatus === null ? '' : (reviewStatusWords[r.reviewStatus as ReviewStatus] ?? r.reviewStatus);
}
