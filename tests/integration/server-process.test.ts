// The real entry point as a process: how it starts and how it stops.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScript } from '../support/run-script.js';
import { freePort, startServerProcess, waitHealthy } from '../support/server-process.js';

describe('src/server.ts start-up', () => {
  it('when PORT=abc, then the server exits 1 and stderr names PORT', () => {
    const result = runScript('src/server.ts', [], { PORT: 'abc' });

    expect(result.error).toBeUndefined();
    expect(result.status, result.stderr).toBe(1);
    expect(result.stderr).toMatch(/PORT/);
  });
});

describe('src/server.ts stop', () => {
  const STOP_LINES = [
    'HTTP server closed',
    'inbox worker stopped',
    'outbox worker stopped',
    'lifecycle worker stopped',
    'retention worker stopped',
    'schedules worker stopped',
    'Database pool closed',
    'Embedded PostgreSQL stopped',
    'Stopped cleanly',
  ];

  it('when the server on its embedded PostgreSQL gets Ctrl-C (SIGINT to its process group), then it logs one short line per component, nothing above INFO, and exits 0', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kinto-stop-'));
    fs.chmodSync(tmp, 0o755);
    const dataDir = path.join(tmp, 'pg');
    const server = startServerProcess(
      {
        NODE_ENV: 'test',
        PORT: String(await freePort()),
        EMBEDDED_PG_DIR: dataDir,
        EMBEDDED_PG_PORT: String(await freePort()),
        WHATSAPP_PHOTOS_DIR: path.join(tmp, 'photos'),
        ADMIN_PASSWORD: 'stop-test-admin-password',
        LOG_LEVEL: 'info',
      },
      { ownProcessGroup: true },
    );
    try {
      await waitHealthy(server, 90_000);

      const exit = await server.interrupt();

      const lines = server.output().split('\n');
      const stop = lines.slice(lines.findIndex((l) => l.includes('Shutting down (SIGINT)')));
      const logged = stop.map((l) => JSON.parse(l) as { level: number; msg: string });
      expect(exit, server.output()).toEqual({ code: 0, signal: null });
      expect(logged.slice(1).map((l) => l.msg)).toEqual(expect.arrayContaining(STOP_LINES));
      expect(logged).toHaveLength(1 + STOP_LINES.length);
      expect(logged.at(-1)!.msg).toBe('Stopped cleanly');
      expect(logged.filter((l) => l.level > 30)).toEqual([]);
      for (const line of stop) {
        expect(line.length, line).toBeLessThan(300);
        expect(line).not.toMatch(/Client|_connected/);
      }
    } finally {
      await server.kill('SIGKILL');
      stopLeftPostgres(dataDir);
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }, 150_000);
});

/** A failed test may leave the server's PostgreSQL (a process group of its own) running: stop it. */
function stopLeftPostgres(dataDir: string): void {
  try {
    const pid = Number(fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    if (pid > 0) process.kill(pid, 'SIGINT');
  } catch {
    // no postmaster.pid: it stopped
  }
}
