// The OpenAPI components: request bodies and parameters converted from the routes' own zod schemas
// (io: 'input', what a client sends), responses from ./response-schemas.ts (io: 'output').
import { z } from 'zod';
import {
  createMachineSchema,
  createOperatorSchema,
  createTemplateSchema,
  idParamSchema,
} from '../checklists/checklists-schemas.js';
import { createAssignmentSchema, listAssignmentsQuery, uuidParam } from '../assignments/assignments-schemas.js';
import { inboundMessageSchema } from '../whatsapp/webhook-schemas.js';
import { actionIdParam, listActionsQuery, patchActionSchema } from '../actions/actions-schemas.js';
import { createScheduleSchema, scheduleIdParam, updateScheduleSchema } from '../schedules/schedules-schemas.js';
import * as res from './response-schemas.js';

type Json = Record<string, unknown>;

/** A zod schema as an OpenAPI 3.1 (JSON Schema 2020-12) schema object, without the top-level $schema. */
export function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Json {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, override: quieter }) as Json;
  return rest;
}

/** Drops what only restates the type: a date-time's long regex, the safe-integer bounds of every int. */
function quieter({ jsonSchema: s }: { jsonSchema: Json }): void {
  if (s.format === 'date-time') delete s.pattern;
  if (s.maximum === Number.MAX_SAFE_INTEGER) delete s.maximum;
  if (s.minimum === Number.MIN_SAFE_INTEGER) delete s.minimum;
}

/** Adds descriptions and examples to top-level properties (the app's schemas carry none). */
function annotate(schema: Json, notes: Record<string, { description?: string; examples?: unknown[] }>): Json {
  const properties = (schema.properties ?? {}) as Record<string, Json>;
  for (const [name, note] of Object.entries(notes)) {
    if (!properties[name]) throw new Error(`annotate: no property ${name}`);
    Object.assign(properties[name], note);
  }
  return schema;
}

const ID_NOTE = { description: 'Integer id; a numeric string ("5") is accepted too' };

export const requestSchemas = {
  CreateOperator: annotate(jsonSchema(createOperatorSchema('IN'), 'input'), {
    phoneNumber: {
      description:
        'As a person types it: "+44 (0)20 7946 0958", "0044 20 7946 0958", or without the country code ("98123 45678"), which is then read as a number of DEFAULT_COUNTRY (the server\'s setting, India by default); the trunk 0 is dropped. Digits with the country code and no "+" (Meta\'s wa_id form, 919812345678) are accepted too. A number that no country has in use is a 400 naming phoneNumber. Stored in E.164 (+442079460958); must be unique.',
      examples: ['+91 98123 45678'],
    },
  }),
  CreateMachine: annotate(jsonSchema(createMachineSchema, 'input'), {
    code: { description: 'Unique', examples: ['PRESS-7'] },
  }),
  CreateTemplate: jsonSchema(createTemplateSchema, 'input'),
  CreateAssignment: annotate(jsonSchema(createAssignmentSchema, 'input'), {
    templateId: ID_NOTE,
    machineId: ID_NOTE,
    operatorId: ID_NOTE,
  }),
  PatchAction: annotate(jsonSchema(patchActionSchema, 'input'), {
    status: { description: 'wont_fix needs `note` (its reason) in the same request: without it, a 400 naming note' },
    ownerId: { description: 'A manager account id, or null for nobody' },
    dueAt: { description: 'A day (YYYY-MM-DD), or null for none', examples: ['2026-12-24'] },
    note: { description: 'What was done; for wont_fix, why not' },
  }),
  CreateSchedule: annotate(jsonSchema(createScheduleSchema, 'input'), {
    timezone: { description: 'IANA time zone; default DEFAULT_TIMEZONE (UTC)', examples: ['Asia/Kolkata'] },
    daysOfWeek: { description: 'ISO week days, 1 = Monday .. 7 = Sunday; default every day' },
    times: {
      description:
        'Local start times HH:MM. A time that does not exist on a spring-forward day runs at the first valid instant after it (02:30 in Berlin runs at 03:00); one that occurs twice in autumn runs once, at its first occurrence',
      examples: [['06:00', '14:00']],
    },
    dueAfterMinutes: { description: 'How long the operator has after each start; default 120' },
  }),
  ReviewDecision: {
    type: 'object',
    properties: {
      decision: { type: 'string', enum: ['approve', 'reject', 'rework'] },
      comment: {
        type: 'string',
        maxLength: 1000,
        description: 'Required to reject (the reason) and to send back (sent to the operator on WhatsApp first)',
      },
      tasks: {
        type: 'array',
        items: { type: 'integer', minimum: 1 },
        minItems: 1,
        maxItems: 200,
        description: 'rework only, and required there: the 1-based positions of the tasks to answer again',
      },
    },
    required: ['decision'],
    additionalProperties: false,
  },
  UpdateSchedule: annotate(jsonSchema(updateScheduleSchema, 'input'), {
    active: { description: 'false pauses the schedule, true resumes it (from the next start time after now)' },
  }),
};

export const responseSchemas = {
  Operator: jsonSchema(res.operatorSchema, 'output'),
  Machine: jsonSchema(res.machineSchema, 'output'),
  Template: jsonSchema(res.templateSchema, 'output'),
  TemplateWithTasks: jsonSchema(res.templateWithTasksSchema, 'output'),
  AssignmentSummary: jsonSchema(res.assignmentSummarySchema, 'output'),
  AssignmentDetail: jsonSchema(res.assignmentDetailSchema, 'output'),
  AssignmentWithStart: jsonSchema(res.assignmentWithStartSchema, 'output'),
  Submission: jsonSchema(res.submissionSchema, 'output'),
  Action: jsonSchema(res.actionSchema, 'output'),
  Schedule: jsonSchema(res.scheduleSchema, 'output'),
  ReviewedSubmission: jsonSchema(res.reviewedSubmissionSchema, 'output'),
  Rework: jsonSchema(res.reworkSchema, 'output'),
  Error: jsonSchema(res.errorSchema, 'output'),
  Health: jsonSchema(res.healthSchema, 'output'),
  WhatsAppInboundMessage: jsonSchema(inboundMessageSchema, 'input'),
};

/** Path or query parameters from a zod object schema's properties. */
function parametersOf(schema: z.ZodType, where: 'path' | 'query', notes: Record<string, string> = {}): Json[] {
  const json = jsonSchema(schema, 'input');
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries((json.properties ?? {}) as Record<string, Json>).map(([name, s]) => ({
    name,
    in: where,
    required: where === 'path' || required.has(name),
    ...(notes[name] ? { description: notes[name] } : {}),
    schema: s,
  }));
}

/** On every change: who the audit trail records it as made by (src/audit/actor.ts, decision 0015). */
const actingUser = {
  name: 'X-Acting-User',
  in: 'header',
  required: false,
  description:
    'The email of the manager account this change is made for. Without it the audit trail records the change as made by "API token"; ' +
    'with it, by that account (through the API token). An email no account has is a 400 naming X-Acting-User; ' +
    'a disabled account is a 403 (code account_disabled) naming X-Acting-User and the account.',
  schema: { type: 'string', format: 'email' },
};

export const parameters = {
  actingUser: [actingUser],
  templateId: parametersOf(idParamSchema, 'path', { id: 'Template id' }),
  assignmentId: parametersOf(uuidParam, 'path', { id: 'Assignment id (a uuid)' }),
  submissionId: parametersOf(uuidParam, 'path', { id: 'Submission id (a uuid)' }),
  actionId: parametersOf(actionIdParam, 'path', { id: 'Action id' }),
  listActions: parametersOf(listActionsQuery, 'query', {
    status: 'Only actions in this status',
    machineId: 'Only actions for this machine',
    overdue: "true: only the overdue ones (still open, due before today in the factory's time zone, DEFAULT_TIMEZONE)",
  }),
  scheduleId: parametersOf(scheduleIdParam, 'path', { id: 'Schedule id' }),
  listAssignments: parametersOf(listAssignmentsQuery, 'query', {
    status: 'Only assignments in this status',
    operatorId: "Only this operator's assignments",
    machineId: 'Only assignments for this machine',
  }),
};

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
export const jsonContent = (schema: string) => ({ 'application/json': { schema: ref(schema) } });
const errorResponse = (description: string) => ({ description, content: jsonContent('Error') });

/** Reusable error answers, all `{ error: { code, message, details?, requestId } }`. */
export const errorResponses = {
  BadRequest: errorResponse('validation_failed (details.fields names each bad field) or invalid_json'),
  Unauthorized: errorResponse('unauthorized: no `Authorization: Bearer <API_TOKEN>` header, or a wrong token'),
  NotFound: errorResponse('not_found'),
  Conflict: errorResponse(
    'conflict: a unique value is taken, or the state change is not allowed from the current status',
  ),
  PayloadTooLarge: errorResponse('payload_too_large: JSON bodies are limited to 1 MB'),
};

export const securitySchemes = {
  bearerAuth: {
    type: 'http',
    scheme: 'bearer',
    description: 'The API_TOKEN environment variable (development default: dev-only-not-secret)',
  },
  metaSignature: {
    type: 'apiKey',
    in: 'header',
    name: 'X-Hub-Signature-256',
    description:
      '`sha256=<hex>`: HMAC-SHA256 of the exact raw body, keyed with WHATSAPP_APP_SECRET. Meta computes it; a wrong or missing one is a 401.',
  },
};
