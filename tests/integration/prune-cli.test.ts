import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScript } from '../support/run-script.js';
import { freePort } from '../support/server-process.js';

describe('npm run photos:prune', () => {
  it.each([
    [[]],
    [['--dry-run']],
    [['--older-than', 'soon']],
    [['--older-than', '365d', '--force']],
    [['--orphans', '--force']],
    [['--orphans', 'now']],
    [['--orphans', '--older-than', 'soon']],
  ])('when it is run with %j, then it prints the usage and exits 2 before touching a database', (argv) => {
    const result = runScript('src/photos/prune-cli.ts', argv, { DATABASE_URL: 'postgresql://nobody@127.0.0.1:1/none' });

    expect(result.error).toBeUndefined();
    expect(result.status, result.stderr).toBe(2);
    expect(result.stderr).toMatch(/Usage: npm run photos:prune -- --older-than 365d \[--orphans\] \[--dry-run\]/);
    expect(result.stderr).toMatch(/npm run photos:prune -- --orphans \[--dry-run\]/);
  });

  it.each([[['--older-than', '365d', '--dry-run']], [['--orphans', '--dry-run']]])(
    'when the database cannot be reached, then %j says so in one line and exits 1',
    (argv) => {
      const result = runScript('src/photos/prune-cli.ts', argv, {
        DATABASE_URL: 'postgresql://nobody@127.0.0.1:1/none',
      });

      expect(result.status, result.stderr).toBe(1);
      expect(result.stderr).toMatch(/^Prune failed: /m);
    },
  );

  it("when the data folder's postmaster runs but its port cannot be reached, then it says so in one line and exits 1", async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kinto-cli-unreachable-'));
    const dataDir = path.join(tmp, 'pg');
    fs.mkdirSync(dataDir);
    const port = await freePort();
    // A live process named postgres (a copy of sleep: /proc must show a PostgreSQL program) as the
    // postmaster, on a port nothing listens on.
    const fakePostgres = path.join(tmp, 'postgres');
    fs.copyFileSync('/bin/sleep', fakePostgres);
    fs.chmodSync(fakePostgres, 0o755);
    const postmaster = spawn(fakePostgres, ['60']);
    fs.writeFileSync(
      path.join(dataDir, 'postmaster.pid'),
      `${postmaster.pid}\n${dataDir}\n0\n${port}\n\n127.0.0.1\n0 0\nready\n`,
    );
    fs.writeFileSync(path.join(tmp, 'pg.password'), 'not-printed\n');

    const result = runScript('src/photos/prune-cli.ts', ['--older-than', '365d', '--dry-run'], {
      EMBEDDED_PG_DIR: dataDir,
      WHATSAPP_PHOTOS_DIR: path.join(tmp, 'photos'),
    });
    postmaster.kill();
    fs.rmSync(tmp, { recursive: true, force: true });

    expect(result.status, result.stderr).toBe(1);
    expect(result.stderr).toMatch(
      new RegExp(
        `^Prune failed: the running PostgreSQL \\(127\\.0\\.0\\.1:${port}, database kinto, pid ${postmaster.pid} .*cannot be used: .*ECONNREFUSED`,
        'm',
      ),
    );
    expect(result.stderr).not.toContain('not-printed');
    expect(result.stdout).toBe('');
  });
});
