// Every SQL block of docs/deployment-guide.md runs on a freshly migrated database, so a renamed column
// or table cannot leave the 3 a.m. queries broken. Each statement runs in a transaction that is rolled back.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

const GUIDE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../docs/deployment-guide.md');

/**
 * The statements of every ```sql block, of inline `SELECT ...` / `UPDATE ...` / `DELETE ...` spans and
 * of `psql ... -c "SELECT ..."` lines, with the guide's placeholder `X` (a template id) made a number.
 */
function guideStatements(): string[] {
  const guide = fs.readFileSync(GUIDE, 'utf8');
  const blocks = [...guide.matchAll(/```sql\n([\s\S]*?)```/g)].map((m) => m[1]!);
  const inline = [...guide.matchAll(/`((?:SELECT|UPDATE|DELETE|INSERT) [^`]+)`/g)].map((m) => m[1]!);
  const psql = [...guide.matchAll(/psql "?\$DATABASE_URL"? -c "((?:SELECT|UPDATE|DELETE) [^"]+)"/g)].map((m) => m[1]!);
  return [...blocks, ...inline, ...psql]
    .flatMap((b) => b.split(/;\s*(?:\n|$)/))
    .map((s) =>
      s
        .split('\n')
        .filter((l) => !l.trim().startsWith('--'))
        .join('\n')
        .trim(),
    )
    .filter(Boolean)
    .map((s) => s.replace(/= X$/, '= 0'));
}

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

describe('the SQL in docs/deployment-guide.md', () => {
  const statements = guideStatements();

  it('when the guide is read, then it has the monitoring, troubleshooting and rollback queries', () => {
    expect(statements.length).toBeGreaterThan(15);
  });

  it.each(statements.map((s) => [s.split('\n')[0]!, s]))(
    'when %s ... runs, then PostgreSQL accepts it',
    async (_first, statement) => {
      const client = await database.pool.connect();
      try {
        await client.query('BEGIN');
        await expect(client.query(statement)).resolves.toBeDefined();
      } finally {
        await client.query('ROLLBACK');
        client.release();
      }
    },
  );
});
