// The OpenAPI paths of a submission's review and rework (issue 18 items 1 and 2), kept apart so openapi.ts
// stays readable.
import { errorResponses, jsonContent, parameters } from './openapi-components.js';

type Json = Record<string, unknown>;

const refTo = (n: keyof typeof errorResponses) => ({ $ref: `#/components/responses/${n}` });
const ok = (description: string) => ({ description, content: jsonContent('ReviewedSubmission') });
const tags = ['Submissions'];

export const reviewPaths: Record<string, Json> = {
  '/api/submissions/{id}/review': {
    post: {
      tags,
      operationId: 'reviewSubmission',
      summary: 'Approve, reject (with a reason) or send tasks back to the operator for rework over WhatsApp',
      description:
        'Only a confirmed submission whose review is `pending` or `not_required` takes a decision (else 409; a rework ' +
        'under way is cancelled first). `rework` opens a conversation for just the listed tasks: it starts like an ' +
        'assignment (queued behind a running checklist, the start template outside the 24-hour window); its CONFIRM ' +
        'replaces those answers, keeps the earlier ones in `reworks[].replaced` and sets `reviewStatus` back to ' +
        '`pending`. Recorded in the audit trail as made by the API token, or by the account X-Acting-User names.',
      parameters: [...parameters.submissionId, ...parameters.actingUser],
      requestBody: { required: true, content: jsonContent('ReviewDecision') },
      responses: {
        '200': ok('The submission as it is now; after a rework, `start` says whether its conversation started'),
        '400': refTo('BadRequest'),
        '401': refTo('Unauthorized'),
        '404': refTo('NotFound'),
        '409': refTo('Conflict'),
        '413': refTo('PayloadTooLarge'),
      },
    },
  },
  '/api/submissions/{id}/reworks': {
    get: {
      tags,
      operationId: 'listReworks',
      summary: "The submission's send-backs, oldest first, each with the answers it replaced",
      parameters: parameters.submissionId,
      responses: {
        '200': {
          description: 'Every rework of the submission',
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: { reworks: { type: 'array', items: { $ref: '#/components/schemas/Rework' } } },
                required: ['reworks'],
                additionalProperties: false,
              },
            },
          },
        },
        '400': refTo('BadRequest'),
        '401': refTo('Unauthorized'),
        '404': refTo('NotFound'),
      },
    },
  },
  '/api/submissions/{id}/rework/cancel': {
    post: {
      tags,
      operationId: 'cancelRework',
      summary: 'Cancel the rework waiting or under way: the operator is told, the review is pending again',
      parameters: [...parameters.submissionId, ...parameters.actingUser],
      responses: {
        '200': ok('The submission as it is now'),
        '400': refTo('BadRequest'),
        '401': refTo('Unauthorized'),
        '404': refTo('NotFound'),
        '409': refTo('Conflict'),
      },
    },
  },
};
