// The OpenAPI paths of /api/schedules (issue 17), kept apart so openapi.ts stays readable.
import { errorResponses, jsonContent, parameters } from './openapi-components.js';

type Json = Record<string, unknown>;

const refTo = (n: keyof typeof errorResponses) => ({ $ref: `#/components/responses/${n}` });
const ok = (description: string, schema: string) => ({ description, content: jsonContent(schema) });
const tags = ['Schedules'];

export const schedulePaths: Record<string, Json> = {
  '/api/schedules': {
    post: {
      tags,
      operationId: 'createSchedule',
      summary: 'Make a schedule: the checklist is assigned and started by itself at each start time',
      description:
        'Each occurrence creates one assignment with `scheduleId` and `dueAt` (start + dueAfterMinutes), once across processes and restarts. ' +
        'Not completed by `dueAt`, it becomes `missed`. An edit applies to occurrences not yet created.',
      requestBody: { required: true, content: jsonContent('CreateSchedule') },
      responses: {
        '201': ok('Created; `nextRunAt` is its first occurrence (UTC)', 'Schedule'),
        '400': refTo('BadRequest'),
        '401': refTo('Unauthorized'),
        '413': refTo('PayloadTooLarge'),
      },
    },
    get: {
      tags,
      operationId: 'listSchedules',
      summary: 'List schedules, by machine',
      responses: {
        '200': {
          description: 'Every schedule',
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: { schedules: { type: 'array', items: { $ref: '#/components/schemas/Schedule' } } },
                required: ['schedules'],
                additionalProperties: false,
              },
            },
          },
        },
        '401': refTo('Unauthorized'),
      },
    },
  },
  '/api/schedules/{id}': {
    get: {
      tags,
      operationId: 'getSchedule',
      summary: 'One schedule',
      parameters: parameters.scheduleId,
      responses: { '200': ok('The schedule', 'Schedule'), ...errorsOf('BadRequest', 'Unauthorized', 'NotFound') },
    },
    patch: {
      tags,
      operationId: 'updateSchedule',
      summary: 'Pause or resume (`active`), or change any field; the next run is computed again from now',
      parameters: parameters.scheduleId,
      requestBody: { required: true, content: jsonContent('UpdateSchedule') },
      responses: { '200': ok('The schedule', 'Schedule'), ...errorsOf('BadRequest', 'Unauthorized', 'NotFound') },
    },
    delete: {
      tags,
      operationId: 'deleteSchedule',
      summary: 'Delete a schedule; the assignments it made stay (their scheduleId becomes null)',
      parameters: parameters.scheduleId,
      responses: { '204': { description: 'Deleted' }, ...errorsOf('BadRequest', 'Unauthorized', 'NotFound') },
    },
  },
};

function errorsOf(...names: ('BadRequest' | 'Unauthorized' | 'NotFound')[]): Json {
  const status = { BadRequest: '400', Unauthorized: '401', NotFound: '404' };
  return Object.fromEntries(names.map((n) => [status[n], refTo(n)]));
}
