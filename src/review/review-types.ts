import type { TaskDefinition } from '../conversation/task-definitions.js';

/** A submission's review state (issue 18 item 1); null until the submission is confirmed. */
export const REVIEW_STATUSES = ['not_required', 'pending', 'approved', 'rejected', 'rework'] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];

export const REVIEW_DECISIONS = ['approve', 'reject', 'rework'] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];

/** A task as the submission answered it (its definition, with its position), kept on a rework: what it asks. */
export type TaskSnapshot = TaskDefinition;

/** The manager's words for a review state (pages never show the raw value). */
export const reviewStatusWords: Record<ReviewStatus, string> = {
  not_required: 'Not required',
  pending: 'Waiting for review',
  approved: 'Approved',
  rejected: 'Rejected',
  rework: 'Sent back for rework',
};
