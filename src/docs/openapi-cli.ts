// `npm run docs:openapi` ("docs:openapi": "tsx src/docs/openapi-cli.ts"): writes docs/openapi.json.
// Run it after changing a route or a schema; src/docs/openapi.test.ts fails until the file is current.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildOpenApi } from './openapi.js';

export const OPENAPI_FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../docs/openapi.json');

/** The file's exact text: two-space JSON and a final newline. */
export const openApiText = (): string => `${JSON.stringify(buildOpenApi(), null, 2)}\n`;

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  fs.mkdirSync(path.dirname(OPENAPI_FILE), { recursive: true });
  fs.writeFileSync(OPENAPI_FILE, openApiText());
  console.log(`Wrote ${path.relative(process.cwd(), OPENAPI_FILE)}`);
}
