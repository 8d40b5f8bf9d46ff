// One-off commands (photos:prune, outbox:resend) with no DATABASE_URL while the embedded PostgreSQL
// already runs on the data folder: they use that one and leave it running. This file's own PostgreSQL
// on a temp folder, started by the server's own function, stands in for the running server's.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/lib/db/embedded.js';
import { createLogger } from '../../src/lib/logger.js';
import { memoryLogger } from '../support/fault-harness.js';
import { runScript } from '../support/run-script.js';

let tmp: string;
let dataDir: string;
let postgres: EmbeddedDatabase | null = null;
let env: Record<string, string>;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kinto-cli-pg-'));
  fs.chmodSync(tmp, 0o755);
  dataDir = path.join(tmp, 'pg');
  postgres = await startEmbeddedPostgres({
    dataDir,
    preferredPort: 0,
    database: 'kinto',
    logger: createLogger({ level: 'silent', pretty: false }),
    fast: true,
  });
  env = { EMBEDDED_PG_DIR: dataDir, WHATSAPP_PHOTOS_DIR: path.join(tmp, 'photos') };
});
afterAll(async () => {
  await postgres?.stop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

async function selectOne(url: string): Promise<unknown> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query('SELECT 1 AS one')).rows[0];
  } finally {
    await client.end();
  }
}

describe('one-off commands while the embedded PostgreSQL runs', () => {
  it('when photos:prune --dry-run runs with no DATABASE_URL, then it uses the running PostgreSQL, prints its result and leaves it running', async () => {
    const pid = fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0];

    const result = runScript('src/photos/prune-cli.ts', ['--older-than', '365d', '--dry-run'], env);

    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^Would delete 0 photo\(s\) of submissions created before /m);
    expect(result.stderr).toMatch(
      new RegExp(
        `^The server's PostgreSQL is running; using it \\(127\\.0\\.0\\.1:${postgres!.port}, database kinto, pid ${pid} .*leaving it running\\.$`,
        'm',
      ),
    );
    expect(result.stderr).not.toContain(fs.readFileSync(path.join(tmp, 'pg.password'), 'utf8').trim());
    expect(fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]).toBe(pid);
    expect(await selectOne(postgres!.url)).toEqual({ one: 1 });
  });

  it('when outbox:resend --dry-run runs with no DATABASE_URL, then it uses the running PostgreSQL too and leaves it running', async () => {
    const result = runScript('src/outbox/outbox-resend-cli.ts', ['--since', '2h', '--dry-run'], env);

    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^Would requeue 0 failed message\(s\)/m);
    expect(result.stdout).toMatch(/^Dry run: nothing was changed/m);
    expect(await selectOne(postgres!.url)).toEqual({ one: 1 });
  });

  it('when the postmaster.pid is stale (its process is gone), then the command starts its own PostgreSQL as before and stops it at the end', async () => {
    await postgres!.stop();
    postgres = null;
    const gone = spawnSync('true').pid;
    fs.writeFileSync(path.join(dataDir, 'postmaster.pid'), `${gone}\n${dataDir}\n0\n1\n\n127.0.0.1\n0 0\nready\n`);

    const result = runScript('src/photos/prune-cli.ts', ['--older-than', '365d', '--dry-run'], env);

    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^Would delete 0 photo\(s\)/m);
    expect(result.stderr).not.toMatch(/using it/);
    expect(fs.existsSync(path.join(dataDir, 'postmaster.pid'))).toBe(false);
  });

  it('when the postmaster.pid names a live program that is not PostgreSQL (its pid reused after a reboot), then a start leaves that program alone, removes the file and starts', async () => {
    const other = spawn('sleep', ['60']);
    try {
      fs.writeFileSync(
        path.join(dataDir, 'postmaster.pid'),
        `${other.pid}\n${dataDir}\n0\n1\n\n127.0.0.1\n0 0\nready\n`,
      );
      const { logger, lines } = memoryLogger('warn');

      postgres = await startEmbeddedPostgres({ dataDir, preferredPort: 0, database: 'kinto', logger, fast: true });

      expect(await selectOne(postgres.url)).toEqual({ one: 1 });
      expect(other.exitCode === null && other.signalCode === null, 'the other program was signalled').toBe(true);
      expect(lines.map((l) => l.msg)).toContain(
        'Removing a stale postmaster.pid: its pid now belongs to another program',
      );
    } finally {
      other.kill();
    }
  });
});
