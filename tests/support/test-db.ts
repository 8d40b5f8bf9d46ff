import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { createDb, createPool, type Db } from '../../src/lib/db/client.js';
import { withDatabase } from './global-setup.js';

export interface TestDatabase {
  url: string;
  db: Db;
  pool: pg.Pool;
  drop(): Promise<void>;
}

/** A fresh database for one test file, cloned in milliseconds from the migrated template. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = inject('pgAdminUrl');
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${inject('pgTemplateDb')}`);
  await admin.end();
  const url = withDatabase(adminUrl, name);
  const pool = createPool(url, 20);
  // DROP DATABASE ... WITH (FORCE) ends connections still closing (57P01); that is expected at teardown.
  pool.on('error', () => undefined);
  return {
    url,
    pool,
    db: createDb(pool),
    async drop() {
      await pool.end();
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
