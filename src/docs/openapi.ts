// The OpenAPI 3.1 document of KINTO Checklists' HTTP interface, built from the zod schemas.
// `npm run docs:openapi` writes it to docs/openapi.json; openapi.test.ts keeps that file equal to this.
import { createRequire } from 'node:module';
import { PHOTO_NAME } from '../photos/photo-store.js';
import {
  errorResponses,
  jsonContent,
  parameters,
  requestSchemas,
  responseSchemas,
  securitySchemes,
} from './openapi-components.js';
import { reviewPaths } from './openapi-review.js';
import { schedulePaths } from './openapi-schedules.js';

type Json = Record<string, unknown>;

const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };

const errors = (...names: (keyof typeof errorResponses)[]) => {
  const status = { BadRequest: '400', Unauthorized: '401', NotFound: '404', Conflict: '409', PayloadTooLarge: '413' };
  return Object.fromEntries(names.map((n) => [status[n], { $ref: `#/components/responses/${n}` }]));
};
const ok = (description: string, schema: string) => ({ description, content: jsonContent(schema) });
const list = (description: string, key: string, item: string) => ({
  description,
  content: {
    'application/json': {
      schema: {
        type: 'object',
        properties: { [key]: { type: 'array', items: { $ref: `#/components/schemas/${item}` } } },
        required: [key],
        additionalProperties: false,
      },
    },
  },
});
const body = (schema: string) => ({ required: true, content: jsonContent(schema) });

/** One resource that is created with POST and listed with GET. */
function createAndList(
  tag: string,
  create: string,
  schema: string,
  key: string,
  summary: { post: string; get: string },
): Json {
  return {
    post: {
      tags: [tag],
      operationId: `create${schema}`,
      summary: summary.post,
      requestBody: body(create),
      responses: {
        '201': ok('Created', schema),
        ...errors('BadRequest', 'Unauthorized', 'Conflict', 'PayloadTooLarge'),
      },
    },
    get: {
      tags: [tag],
      operationId: `list${schema}s`,
      summary: summary.get,
      responses: { '200': list('All of them, by name', key, schema), ...errors('Unauthorized') },
    },
  };
}

const restPaths: Record<string, Json> = {
  '/api/operators': createAndList('Operators', 'CreateOperator', 'Operator', 'operators', {
    post: 'Add an operator (the person who answers on WhatsApp)',
    get: 'List operators',
  }),
  '/api/machines': createAndList('Machines', 'CreateMachine', 'Machine', 'machines', {
    post: 'Add a machine',
    get: 'List machines',
  }),
  '/api/templates': {
    post: {
      tags: ['Templates'],
      operationId: 'createTemplate',
      summary: 'Create a checklist template with its tasks, asked in the order given',
      description:
        'Each task is a `check` (OK / NOT OK / N/A, the default), a `number` (a reading: `unit`, inclusive `min` and `max`, either optional, `decimals` shown), a `choice` (2 to 10 `options`, each `{ label, fails }`; at most 9 when `allowNa`, since N/A takes a list row) or a `text`. A 400 names the field: `tasks[1].min` above max, `tasks[0].options` on a non-choice task or too few or many, `tasks[2].options[1].label` repeating another label (case and accents ignored).',
      requestBody: body('CreateTemplate'),
      responses: {
        '201': ok('Created, with its tasks', 'TemplateWithTasks'),
        ...errors('BadRequest', 'Unauthorized', 'PayloadTooLarge'),
      },
    },
    get: {
      tags: ['Templates'],
      operationId: 'listTemplates',
      summary: 'List templates (without their tasks)',
      responses: { '200': list('All templates, by name', 'templates', 'Template'), ...errors('Unauthorized') },
    },
  },
  '/api/templates/{id}': {
    get: {
      tags: ['Templates'],
      operationId: 'getTemplate',
      summary: 'One template with its tasks',
      parameters: parameters.templateId,
      responses: {
        '200': ok('The template', 'TemplateWithTasks'),
        ...errors('BadRequest', 'Unauthorized', 'NotFound'),
      },
    },
  },
  '/api/assignments': {
    post: {
      tags: ['Assignments'],
      operationId: 'createAssignment',
      summary: 'Assign a checklist for a machine to an operator, and start its conversation',
      description:
        'Always 201 once the assignment is stored. `start.started` says whether Question 1 (or the start template) was queued; ' +
        'when not, the assignment stays `pending` with `statusReason`: the operator is answering another checklist (it starts by itself when that ends) ' +
        'or WhatsApp is switched off (`system_config.whatsapp_enabled = false`; it starts when switched back on). ' +
        'A 409 is possible but rare: the lifecycle worker started the new assignment first (it is then active; do not create it again).',
      parameters: parameters.actingUser,
      requestBody: body('CreateAssignment'),
      responses: {
        '201': ok('Created; `start` tells whether the conversation started', 'AssignmentWithStart'),
        ...errors('BadRequest', 'Unauthorized', 'Conflict', 'PayloadTooLarge'),
      },
    },
    get: {
      tags: ['Assignments'],
      operationId: 'listAssignments',
      summary: 'List assignments, newest first (at most 500)',
      parameters: parameters.listAssignments,
      responses: {
        '200': list('Matching assignments', 'assignments', 'AssignmentSummary'),
        ...errors('BadRequest', 'Unauthorized'),
      },
    },
  },
  '/api/assignments/{id}': {
    get: {
      tags: ['Assignments'],
      operationId: 'getAssignment',
      summary: 'One assignment: status, latest submission and conversation, progress, queue position',
      parameters: parameters.assignmentId,
      responses: {
        '200': ok('The assignment', 'AssignmentDetail'),
        ...errors('BadRequest', 'Unauthorized', 'NotFound'),
      },
    },
  },
  '/api/assignments/{id}/start': {
    post: {
      tags: ['Assignments'],
      operationId: 'startAssignment',
      summary: 'Start a pending assignment (e.g. send an expired one again), or restart a missed one',
      description:
        "A missed assignment first gets a new `dueAt` (now plus its schedule's dueAfterMinutes); completed, it is `completed` with `completedLate: true`.",
      parameters: [...parameters.assignmentId, ...parameters.actingUser],
      responses: {
        '200': ok(
          'Started: a new submission and conversation; Question 1 (or the start template) is queued',
          'AssignmentWithStart',
        ),
        '202': ok(
          'Not started, still pending: queued behind another checklist of this operator, or WhatsApp is switched off (see start.reason)',
          'AssignmentWithStart',
        ),
        ...errors('BadRequest', 'Unauthorized', 'NotFound'),
        '409': {
          description: 'conflict: the assignment is not pending or missed (active, completed or cancelled)',
          content: jsonContent('Error'),
        },
      },
    },
  },
  '/api/assignments/{id}/cancel': {
    post: {
      tags: ['Assignments'],
      operationId: 'cancelAssignment',
      summary: 'Cancel an assignment; an open conversation ends and the operator is told',
      parameters: [...parameters.assignmentId, ...parameters.actingUser],
      responses: {
        '200': ok('Cancelled', 'AssignmentDetail'),
        ...errors('BadRequest', 'Unauthorized', 'NotFound'),
        '409': { description: 'conflict: already completed or cancelled', content: jsonContent('Error') },
      },
    },
  },
  '/api/submissions/{id}': {
    get: {
      tags: ['Submissions'],
      operationId: 'getSubmission',
      summary: 'A submission with every answer given so far, in task order',
      parameters: parameters.submissionId,
      responses: { '200': ok('The submission', 'Submission'), ...errors('BadRequest', 'Unauthorized', 'NotFound') },
    },
  },
};

const actionPaths: Record<string, Json> = {
  '/api/actions': {
    get: {
      tags: ['Actions'],
      operationId: 'listActions',
      summary: 'Corrective actions, newest first (at most 500): one per NOT OK answer of a confirmed submission',
      parameters: parameters.listActions,
      responses: { '200': list('Matching actions', 'actions', 'Action'), ...errors('BadRequest', 'Unauthorized') },
    },
  },
  '/api/actions/{id}': {
    get: {
      tags: ['Actions'],
      operationId: 'getAction',
      summary: 'One corrective action',
      parameters: parameters.actionId,
      responses: { '200': ok('The action', 'Action'), ...errors('BadRequest', 'Unauthorized', 'NotFound') },
    },
    patch: {
      tags: ['Actions'],
      operationId: 'updateAction',
      summary: 'Change its status, owner, due day or note; each change is kept in the audit trail',
      description:
        'Only the fields sent change. `done` or `wont_fix` sets closedAt; `open` or `in_progress` clears it. ' +
        '`wont_fix` needs `note` (its reason): without it a 400 naming note. JSON only: the closing photo is ' +
        'sent to POST /api/actions/{id}/photo.',
      parameters: [...parameters.actionId, ...parameters.actingUser],
      requestBody: body('PatchAction'),
      responses: {
        '200': ok('The action as it is now', 'Action'),
        ...errors('BadRequest', 'Unauthorized', 'NotFound', 'PayloadTooLarge'),
      },
    },
  },
};

actionPaths['/api/actions/{id}/photo'] = {
  post: {
    tags: ['Actions'],
    operationId: 'addActionClosingPhoto',
    summary: "Attach the closing photo of an action that is done or won't fix (kept in the audit trail)",
    description:
      'multipart/form-data with one file in the field `photo`: a JPEG, PNG or WebP (judged by its bytes) of at ' +
      'most 5 MB. A second photo replaces the first. The action must be `done` or `wont_fix` (PATCH it first): ' +
      'otherwise, like a missing, too large or non-image file, a 400 naming photo. The answer is the action, ' +
      'whose `closingPhoto` is fetched from GET /api/whatsapp-photos/{filename}.',
    parameters: [...parameters.actionId, ...parameters.actingUser],
    requestBody: {
      required: true,
      content: {
        'multipart/form-data': {
          schema: {
            type: 'object',
            required: ['photo'],
            properties: { photo: { type: 'string', format: 'binary', description: 'JPEG, PNG or WebP, at most 5 MB' } },
          },
        },
      },
    },
    responses: {
      '200': ok('The action with its closing photo', 'Action'),
      ...errors('BadRequest', 'Unauthorized', 'NotFound'),
    },
  },
};

const otherPaths: Record<string, Json> = {
  '/api/docs': {
    get: {
      tags: ['Docs'],
      operationId: 'getOpenApi',
      summary: 'This document (the same as docs/openapi.json)',
      responses: {
        '200': { description: 'OpenAPI 3.1 document', content: { 'application/json': { schema: { type: 'object' } } } },
        ...errors('Unauthorized'),
      },
    },
  },
  '/api/whatsapp/webhook': {
    get: {
      tags: ['WhatsApp webhook'],
      operationId: 'verifyWebhook',
      summary: "Meta's verification request when the callback URL is saved",
      description:
        "Without hub.mode and hub.challenge (the deployment guide's check by hand), a matching verify token is " +
        'answered 200 with one line saying so.',
      security: [],
      parameters: [
        { name: 'hub.mode', in: 'query', required: false, schema: { const: 'subscribe' } },
        {
          name: 'hub.verify_token',
          in: 'query',
          required: true,
          description: 'Must equal WHATSAPP_VERIFY_TOKEN',
          schema: { type: 'string' },
        },
        {
          name: 'hub.challenge',
          in: 'query',
          required: false,
          description: 'Echoed back; digits only',
          schema: { type: 'string', pattern: '^[0-9]{1,64}$' },
        },
      ],
      responses: {
        '200': {
          description: 'The challenge, as plain text (or, for the check by hand, one line saying the token matches)',
          content: { 'text/plain': { schema: { type: 'string' } } },
        },
        '400': {
          description: 'validation_failed: the verify token matches but hub.challenge is not digits (it is not echoed)',
          content: jsonContent('Error'),
        },
        '403': {
          description: 'forbidden: the mode is not subscribe or the verify token does not match',
          content: jsonContent('Error'),
        },
      },
    },
    post: {
      tags: ['WhatsApp webhook'],
      operationId: 'receiveWebhook',
      summary: 'Deliveries from Meta: inbound messages and delivery statuses',
      description:
        'The signature is checked over the raw body, every message is recorded in whatsapp_inbox (once per Meta message id) ' +
        'and statuses are applied to whatsapp_outbox, all before the 200. Messages are applied to conversations afterwards by the inbox worker. ' +
        'A body that is not JSON, or parts that are not understood, are acknowledged with 200 and skipped (a non-2xx would only make Meta retry for days). Body limit 4 MB.',
      security: [{ metaSignature: [] }],
      requestBody: {
        required: true,
        content: {
          'application/json': {
            schema: {
              type: 'object',
              description:
                "Meta's envelope: entry[].changes[].value.messages[] and .statuses[] (every entry, change, message and status is read)",
              properties: {
                object: { const: 'whatsapp_business_account' },
                entry: {
                  type: 'array',
                  items: {
                    type: 'object',
                    properties: {
                      changes: {
                        type: 'array',
                        items: {
                          type: 'object',
                          properties: {
                            field: { const: 'messages' },
                            value: {
                              type: 'object',
                              properties: {
                                messages: {
                                  type: 'array',
                                  items: { $ref: '#/components/schemas/WhatsAppInboundMessage' },
                                },
                                statuses: {
                                  type: 'array',
                                  items: {
                                    type: 'object',
                                    properties: {
                                      id: { type: 'string' },
                                      status: { enum: ['sent', 'delivered', 'read', 'failed'] },
                                    },
                                  },
                                },
                              },
                            },
                          },
                        },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
      responses: {
        '200': {
          description: 'Recorded (or duplicate, or not understood): Meta must not retry',
          content: { 'text/plain': { schema: { const: 'OK' } } },
        },
        '401': {
          description: 'unauthorized: X-Hub-Signature-256 missing or wrong (check WHATSAPP_APP_SECRET)',
          content: jsonContent('Error'),
        },
        '413': { description: 'payload_too_large: over 4 MB', content: jsonContent('Error') },
        '500': {
          description: 'internal_error: the delivery could not be recorded (database down); Meta retries it',
          content: jsonContent('Error'),
        },
      },
    },
  },
  '/api/whatsapp-photos/{filename}': {
    get: {
      tags: ['Photos'],
      operationId: 'getPhoto',
      summary: "An operator's photo (the `photo` of a submission answer)",
      parameters: [
        { name: 'filename', in: 'path', required: true, schema: { type: 'string', pattern: PHOTO_NAME.source } },
      ],
      responses: {
        '200': {
          description: 'The image, with X-Content-Type-Options: nosniff and Cache-Control: private, max-age=86400',
          content: { 'image/jpeg': {}, 'image/png': {}, 'image/webp': {}, 'image/gif': {} },
        },
        ...errors('Unauthorized'),
        '403': {
          description:
            'forbidden: the name does not match the pattern (e.g. contains .. / or \\), or the file resolves outside WHATSAPP_PHOTOS_DIR',
          content: jsonContent('Error'),
        },
        ...errors('NotFound'),
      },
    },
  },
  '/metrics': {
    get: {
      tags: ['Health'],
      operationId: 'metrics',
      summary: 'Prometheus metrics (names start with kinto_)',
      description:
        'Open to requests from this host (loopback, no X-Forwarded-For); from anywhere else it needs the bearer token.',
      security: [{}, { bearerAuth: [] }],
      responses: {
        '200': { description: 'Prometheus text format', content: { 'text/plain': { schema: { type: 'string' } } } },
        ...errors('Unauthorized'),
      },
    },
  },
  '/healthz': {
    get: {
      tags: ['Health'],
      operationId: 'health',
      summary: 'Liveness and database check, for load balancers and monitors',
      security: [],
      responses: {
        '200': ok('Up; the database answers', 'Health'),
        '503': ok('The database does not answer', 'Health'),
      },
    },
  },
};

/** The whole document. Deterministic: the same code always gives the same JSON. */
export function buildOpenApi(): Json {
  return {
    openapi: '3.1.0',
    info: {
      title: 'KINTO Checklists',
      version,
      description:
        'Managers assign checklists; operators answer them over WhatsApp. JSON over HTTPS; `Authorization: Bearer <API_TOKEN>` on everything under /api ' +
        'except the WhatsApp webhook. A change is recorded in the audit trail as made by the API token, or by the manager account ' +
        'an `X-Acting-User: <email>` header names (any existing account). Errors are `{ "error": { "code", "message", "details?", "requestId" } }`. See docs/api.md.',
    },
    security: [{ bearerAuth: [] }],
    tags: [
      'Operators',
      'Machines',
      'Templates',
      'Assignments',
      'Schedules',
      'Submissions',
      'Actions',
      'Photos',
      'WhatsApp webhook',
      'Health',
      'Docs',
    ].map((name) => ({ name })),
    paths: { ...restPaths, ...reviewPaths, ...actionPaths, ...schedulePaths, ...otherPaths },
    components: {
      schemas: { ...requestSchemas, ...responseSchemas },
      responses: errorResponses,
      securitySchemes,
    },
  };
}
