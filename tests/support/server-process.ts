import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ACCESS_TOKEN, API_TOKEN, APP_SECRET, VERIFY_TOKEN } from './secrets.js';

const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Servers still running when this test process exits (a test that timed out) die with it. */
const alive = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of alive) child.kill('SIGKILL');
});

export interface ServerProcess {
  child: ChildProcess;
  baseUrl: string;
  /** Resolves when the process has exited, with how. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The last lines it wrote to stdout and stderr (for failure messages). */
  output(): string;
  /** Sends a signal and waits for the exit. */
  kill(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Ctrl-C in the terminal that started it: SIGINT to its whole process group (started with `ownProcessGroup`). */
  interrupt(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** A port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * The real server (`node --import tsx src/server.ts`) as a child process, with only the given
 * environment (plus PATH and HOME), so no setting of the test process leaks into it. With
 * `ownProcessGroup` it leads a process group, as a command started in a terminal does.
 */
export function startServerProcess(
  env: Record<string, string>,
  opts: { ownProcessGroup?: boolean } = {},
): ServerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: PROJECT_ROOT,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: opts.ownProcessGroup ?? false,
  });
  const tail: string[] = [];
  const keep = (chunk: Buffer) => {
    tail.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (tail.length > 200) tail.splice(0, tail.length - 200);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  alive.add(child);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      alive.delete(child);
      resolve({ code, signal });
    });
  });
  return {
    child,
    baseUrl: `http://127.0.0.1:${env.PORT}`,
    exited,
    output: () => tail.join('\n'),
    async kill(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
    async interrupt() {
      if (!opts.ownProcessGroup) throw new Error('interrupt() needs a server started with ownProcessGroup');
      if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGINT');
      return exited;
    },
  };
}

/** Waits until /healthz answers 200; fails with the server's output if it exits or never gets there. */
export async function waitHealthy(server: ServerProcess, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (server.child.exitCode !== null || server.child.signalCode !== null) {
      throw new Error(`The server exited before it was ready:\n${server.output()}`);
    }
    const status = await fetch(`${server.baseUrl}/healthz`, { signal: AbortSignal.timeout(2000) })
      .then((r) => r.status)
      .catch(() => null);
    if (status === 200) return;
    if (Date.now() >= deadline)
      throw new Error(`The server was not healthy after ${timeoutMs} ms:\n${server.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The REST API of a server process, with the bearer token. */
export function restClient(baseUrl: string, apiToken: string) {
  const call = async (method: string, p: string, body?: object) => {
    const res = await fetch(`${baseUrl}${p}`, {
      method,
      headers: { authorization: `Bearer ${apiToken}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(10_000),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as Record<string, unknown> };
  };
  return {
    get: (p: string) => call('GET', p),
    post: (p: string, body: object) => call('POST', p, body),
  };
}

/** A server process's environment on a test database, with the harness's secrets (tests/support/secrets.ts). */
export function serverEnv(opts: {
  port: number;
  databaseUrl: string;
  graphUrl: string;
  photosDir: string;
}): Record<string, string> {
  return {
    NODE_ENV: 'test',
    PORT: String(opts.port),
    DATABASE_URL: opts.databaseUrl,
    WHATSAPP_ACCESS_TOKEN: ACCESS_TOKEN,
    WHATSAPP_PHONE_NUMBER_ID: '106540352242922',
    WHATSAPP_VERIFY_TOKEN: VERIFY_TOKEN,
    WHATSAPP_APP_SECRET: APP_SECRET,
    WHATSAPP_API_BASE_URL: opts.graphUrl,
    API_TOKEN: API_TOKEN,
    SESSION_SECRET: 'fault-tests-session-secret-0123456789abcdef',
    ADMIN_PASSWORD: 'fault-tests-admin-password',
    WHATSAPP_PHOTOS_DIR: opts.photosDir,
    INBOX_SETTLE_MS: '0',
    // Tests answer as soon as the question is sent; the read-time rule's own tests use the default margin.
    QUESTION_READ_MARGIN_SECONDS: '0',
    LOG_LEVEL: 'warn',
  };
}
