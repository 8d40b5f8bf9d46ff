// A development server's secrets are public (dev-only-not-secret): it must not be reachable from the
// network unless HOST says so. The real server process, started as `npm start` starts it.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startServerProcess, waitHealthy, type ServerProcess } from '../support/server-process.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

let database: TestDatabase;
let photosDir: string;
let server: ServerProcess | null = null;
let port: number;

/** This machine's first address on a network (not loopback), if it has one. */
const networkAddress = Object.values(os.networkInterfaces())
  .flat()
  .find((a) => a !== undefined && a.family === 'IPv4' && !a.internal)?.address;

/** Whether a TCP connection to host:port is accepted. */
const accepts = (host: string, p: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect({ host, port: p, timeout: 2000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });

beforeAll(async () => {
  database = await createTestDatabase();
  photosDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kinto-listen-photos-'));
  port = await freePort();
  server = startServerProcess({
    NODE_ENV: 'development',
    PORT: String(port),
    DATABASE_URL: database.url,
    WHATSAPP_PHOTOS_DIR: photosDir,
    ADMIN_PASSWORD: 'listen-test-admin-password',
    LOG_LEVEL: 'info',
  });
  await waitHealthy(server, 60_000);
});

afterAll(async () => {
  await server?.kill('SIGINT');
  await database?.drop();
  if (photosDir) fs.rmSync(photosDir, { recursive: true, force: true });
});

describe('a development server without HOST', () => {
  it('when it starts, then the start log says it listens on 127.0.0.1 only and how to open it', () => {
    expect(server!.output()).toContain(`KINTO Checklists listening on http://127.0.0.1:${port}`);
    expect(server!.output()).toContain('set HOST=0.0.0.0');
  });

  it.skipIf(networkAddress === undefined)(
    "when a client connects to the machine's network address, then the connection is refused",
    async () => {
      expect(await accepts('127.0.0.1', port)).toBe(true);
      expect(await accepts(networkAddress!, port)).toBe(false);
    },
  );
});
