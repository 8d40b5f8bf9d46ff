import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { createDb, createPool } from '../../src/lib/db/client.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/lib/db/embedded.js';
import { runMigrations } from '../../src/lib/db/migrate.js';
import { createLogger } from '../../src/lib/logger.js';

/** One template per project (integration, browser): both may share one TEST_DATABASE_URL. */
const templateDb = (project: TestProject) => `kinto_test_template_${project.name.replace(/\W/g, '_')}`;

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
    pgTemplateDb: string;
  }
}

/**
 * One PostgreSQL for the whole run: TEST_DATABASE_URL when set, else an embedded one in a temp folder.
 * A template database is migrated once; each test file clones it (CREATE DATABASE ... TEMPLATE).
 */
export default async function setup(project: TestProject) {
  let embedded: EmbeddedDatabase | null = null;
  let tmp: string | null = null;
  let adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kinto-test-pg-'));
    fs.chmodSync(tmp, 0o755);
    embedded = await startEmbeddedPostgres({
      dataDir: path.join(tmp, 'pg'),
      preferredPort: 0,
      database: 'postgres',
      logger: createLogger({ level: 'warn', pretty: false }),
      fast: true,
    });
    adminUrl = embedded.url;
  }
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  const template = templateDb(project);
  await admin.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${template}`);
  await admin.end();
  const pool = createPool(withDatabase(adminUrl, template), 2);
  await runMigrations(createDb(pool));
  await pool.end();

  project.provide('pgAdminUrl', adminUrl);
  project.provide('pgTemplateDb', template);

  return async () => {
    await embedded?.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  };
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
