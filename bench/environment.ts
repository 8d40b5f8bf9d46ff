// What the bench runs on: a temp folder with an embedded PostgreSQL (production durability: no `fast`),
// the server as a child process, and a description of the machine for the report.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createPool } from '../src/lib/db/client.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../src/lib/db/embedded.js';
import { createLogger } from '../src/lib/logger.js';
import { createStatementsExtension, preloadStatements } from './pg-statements.js';
import { freePort } from '../tests/support/server-process.js';
import { forkTs, type Child } from './processes.js';
import { SECRETS } from './protocol.js';

export interface Database {
  embedded: EmbeddedDatabase;
  dataDir: string;
  /** The bench's own small pool (readiness checks, pg_stat_activity, the floor's session ids). */
  pool: pg.Pool;
}

export async function startDatabase(tmp: string, withStatements: boolean): Promise<Database> {
  const dataDir = path.join(tmp, 'pg');
  const start = () =>
    startEmbeddedPostgres({
      dataDir,
      preferredPort: 0,
      database: 'kinto',
      logger: createLogger({ level: 'warn', pretty: false }),
    });
  let embedded = await start();
  let pool = createPool(embedded.url, 3);
  if (withStatements) {
    // pg_stat_statements must be preloaded: one restart.
    await preloadStatements(pool);
    await pool.end();
    await embedded.stop();
    embedded = await start();
    pool = createPool(embedded.url, 3);
    await createStatementsExtension(pool);
  }
  return { embedded, dataDir, pool };
}

/** If the bench dies without its cleanup, at least PostgreSQL stops and the temp folder goes. */
export function lastResortCleanup(tmp: string): void {
  process.on('exit', () => {
    if (!fs.existsSync(tmp)) return;
    try {
      const pid = Number(fs.readFileSync(path.join(tmp, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
      if (pid > 0) process.kill(pid, 'SIGQUIT'); // immediate shutdown; the data is thrown away anyway
    } catch {
      // not running
    }
    fs.rmSync(tmp, { recursive: true, force: true });
  });
}

export interface RunningServer {
  server: Child;
  url: string;
}

/** `node --import tsx src/server.ts` as in production (NODE_ENV=production), with the bench's probe preloaded. */
export async function startServer(
  root: string,
  opts: {
    databaseUrl: string;
    graphUrl: string;
    photosDir: string;
    settleMs: number;
    cpuProfDir?: string;
    /** WHATSAPP_MAX_MESSAGES_PER_SECOND; default 1000, so the pace never limits the throughput phases. */
    maxPerSecond?: number;
  },
): Promise<RunningServer> {
  const port = await freePort();
  const server = forkTs(path.join(root, 'src/server.ts'), {
    cwd: root,
    name: 'server',
    imports: [path.join(root, 'bench/tx-probe.ts')],
    execArgv: opts.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(opts.cpuProfDir)}`] : [],
    env: {
      ...process.env,
      NODE_ENV: 'production',
      KINTO_INSTANCES: '1',
      PORT: String(port),
      DATABASE_URL: opts.databaseUrl,
      WHATSAPP_ACCESS_TOKEN: SECRETS.accessToken,
      WHATSAPP_API_BASE_URL: opts.graphUrl,
      WHATSAPP_PHONE_NUMBER_ID: SECRETS.phoneNumberId,
      WHATSAPP_VERIFY_TOKEN: SECRETS.verifyToken,
      WHATSAPP_APP_SECRET: SECRETS.appSecret,
      API_TOKEN: SECRETS.apiToken,
      SESSION_SECRET: SECRETS.sessionSecret,
      ADMIN_PASSWORD: SECRETS.adminPassword,
      WHATSAPP_PHOTOS_DIR: opts.photosDir,
      // Empty means unset: no start template (Question 1 goes straight out) and no NOT OK alerts.
      WHATSAPP_START_TEMPLATE: '',
      ALERT_PHONE_NUMBERS: '',
      INBOX_SETTLE_MS: String(opts.settleMs),
      WHATSAPP_MAX_MESSAGES_PER_SECOND: String(opts.maxPerSecond ?? 1000),
      LOG_LEVEL: 'warn',
    },
  });
  await server.message((m): m is 'ready' => m === 'ready', 60_000);
  return { server, url: `http://127.0.0.1:${port}` };
}

export async function describeMachine(pool: pg.Pool): Promise<string[]> {
  const settings = [];
  for (const name of [
    'fsync',
    'synchronous_commit',
    'full_page_writes',
    'wal_sync_method',
    'shared_buffers',
    'max_connections',
  ]) {
    const shown = await pool.query<Record<string, string>>(`SHOW ${name}`);
    settings.push(`${name}=${String(shown.rows[0]?.[name])}`);
  }
  const version = String((await pool.query<{ version: string }>('SELECT version()')).rows[0]?.version).split(' on ')[0];
  let disk = '';
  try {
    disk =
      execFileSync('df', ['-T', os.tmpdir()], { encoding: 'utf8' })
        .split('\n')[1]
        ?.split(/\s+/)
        .slice(0, 2)
        .join(' ') ?? '';
  } catch {
    // df only adds to the description
  }
  return [
    `Machine: ${os.availableParallelism()} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ` +
      `${os.type()} ${os.release()}, temp dir on ${disk}`,
    `Node ${process.version}; ${version}`,
    `PostgreSQL settings: ${settings.join(', ')}`,
  ];
}
