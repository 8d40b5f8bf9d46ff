import fs from 'node:fs';
import type { Router } from 'express';
import { describe, expect, it } from 'vitest';
import { assignmentsRoutes } from '../assignments/assignments-routes.js';
import { checklistsRoutes } from '../checklists/checklists-routes.js';
import { actionsRoutes } from '../actions/actions-routes.js';
import { schedulesRoutes } from '../schedules/schedules-routes.js';
import { reviewRoutes } from '../review/review-routes.js';
import { buildOpenApi } from './openapi.js';
import { OPENAPI_FILE, openApiText } from './openapi-cli.js';

// Every route of src/checklists/checklists-routes.ts, src/assignments/assignments-routes.ts and
// src/actions/actions-routes.ts, src/schedules/schedules-routes.ts and src/review/review-routes.ts, mounted under /api.
const REST_ROUTES = [
  'POST /api/operators',
  'GET /api/operators',
  'POST /api/machines',
  'GET /api/machines',
  'POST /api/templates',
  'GET /api/templates',
  'GET /api/templates/{id}',
  'POST /api/assignments',
  'GET /api/assignments',
  'GET /api/assignments/{id}',
  'POST /api/assignments/{id}/start',
  'POST /api/assignments/{id}/cancel',
  'GET /api/submissions/{id}',
  'POST /api/submissions/{id}/review',
  'GET /api/submissions/{id}/reworks',
  'POST /api/submissions/{id}/rework/cancel',
  'GET /api/actions',
  'GET /api/actions/{id}',
  'PATCH /api/actions/{id}',
  'POST /api/actions/{id}/photo',
  'POST /api/schedules',
  'GET /api/schedules',
  'GET /api/schedules/{id}',
  'PATCH /api/schedules/{id}',
  'DELETE /api/schedules/{id}',
];
// Mounted in src/app.ts outside those routers (GET /api/docs once app.ts serves this document).
const OTHER_ROUTES = [
  'GET /api/whatsapp/webhook',
  'POST /api/whatsapp/webhook',
  'GET /api/whatsapp-photos/{filename}',
  'GET /healthz',
  'GET /metrics',
  'GET /api/docs',
];
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

type Doc = {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: Record<string, Record<string, unknown>>;
};
type Operation = {
  operationId: string;
  parameters?: { name: string; in: string }[];
  responses: Record<string, unknown>;
};

const doc = buildOpenApi() as Doc;
const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
  Object.entries(item)
    .filter(([method]) => METHODS.includes(method))
    .map(([method, op]) => ({ route: `${method.toUpperCase()} ${path}`, path, op })),
);

/** `METHOD /api/path/{param}` for each route an Express router really has. */
function routesOf(router: Router): string[] {
  const stack = (router as unknown as { stack: { route?: { path: string; methods: Record<string, boolean> } }[] })
    .stack;
  return stack.flatMap(({ route }) =>
    route
      ? Object.keys(route.methods).map((m) => `${m.toUpperCase()} /api${route.path.replace(/:(\w+)/g, '{$1}')}`)
      : [],
  );
}

describe('the OpenAPI document', () => {
  it('when serialised, then it is plain JSON that parses back to itself, OpenAPI 3.1', () => {
    const parsed = JSON.parse(JSON.stringify(doc)) as typeof doc;

    expect(parsed).toEqual(doc);
    expect(parsed.openapi).toBe('3.1.0');
  });

  it('when the route files change, then the hard-coded list here still matches what the routers serve', () => {
    // Routers are built without a database: handlers only touch it when a request comes.
    const real = [
      ...routesOf(checklistsRoutes({} as never, { defaultCountry: 'IN' })),
      ...routesOf(assignmentsRoutes({} as never, {} as never)),
      ...routesOf(actionsRoutes({} as never, { timeZone: 'UTC', photos: {} as never })),
      ...routesOf(schedulesRoutes({} as never)),
      ...routesOf(reviewRoutes({} as never, {} as never)),
    ];

    expect(real.sort()).toEqual([...REST_ROUTES].sort());
  });

  it('when listing its operations, then it documents every route of the app and nothing else', () => {
    expect(operations.map((o) => o.route).sort()).toEqual([...REST_ROUTES, ...OTHER_ROUTES].sort());
  });

  it('when an operation is read, then it has a unique operationId, responses, and declares each {param} of its path', () => {
    const ids = operations.map((o) => o.op.operationId);

    expect(new Set(ids).size).toBe(ids.length);
    for (const { route, path, op } of operations) {
      expect(Object.keys(op.responses).length, route).toBeGreaterThan(0);
      const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      const declared = (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name);
      expect(declared, route).toEqual(inPath);
    }
  });

  it('when a $ref is followed, then it points at a component that exists', () => {
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/(\w+)\/([^"]+)"/g)];

    expect(refs.length).toBeGreaterThan(10);
    for (const [, kind, name] of refs) expect(doc.components[kind!]?.[name!], `${kind}/${name}`).toBeDefined();
  });

  it('when a /api route other than the webhook is described, then it requires the bearer token and documents the 401', () => {
    for (const { route, op } of operations.filter(
      (o) => o.path.startsWith('/api/') && o.path !== '/api/whatsapp/webhook',
    )) {
      expect((op as { security?: unknown }).security, route).toBeUndefined(); // inherits the global bearerAuth
      expect(op.responses['401'], route).toBeDefined();
    }
  });

  it('when docs/openapi.json is compared with the code, then it is current (else run: npm run docs:openapi)', () => {
    const committed = fs.readFileSync(OPENAPI_FILE, 'utf8');

    expect(
      committed === openApiText(),
      'docs/openapi.json is stale: run `npm run docs:openapi` (tsx src/docs/openapi-cli.ts)',
    ).toBe(true);
  });
});
