// The REST API's response bodies as types, for tests: supertest types every body as `any`. They are
// inferred from the zod schemas the OpenAPI document is built from, which openapi-contract.test.ts checks
// real responses against, so a cast to one of these is what the endpoint answers.
import type { Response } from 'supertest';
import type { z } from 'zod';
import type * as schemas from '../../src/docs/response-schemas.js';

export type OperatorBody = z.infer<typeof schemas.operatorSchema>;
export type TemplateBody = z.infer<typeof schemas.templateWithTasksSchema>;
/** GET /api/assignments/{id}. */
export type AssignmentBody = z.infer<typeof schemas.assignmentDetailSchema>;
/** POST /api/assignments and its start actions: the assignment and whether it started. */
export type AssignmentStartBody = z.infer<typeof schemas.assignmentWithStartSchema>;
export type AssignmentListBody = { assignments: z.infer<typeof schemas.assignmentSummarySchema>[] };
export type SubmissionBody = z.infer<typeof schemas.submissionSchema>;
export type ErrorBody = z.infer<typeof schemas.errorSchema>;

/** The `error` of an error response, or undefined for any other body. */
export const errorOf = (res: { body: unknown }): ErrorBody['error'] | undefined =>
  (res.body as Partial<ErrorBody>).error;

/** A supertest response whose body is typed as `T`. */
export type ApiResponse<T> = Omit<Response, 'body'> & { body: T };
