import { spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

const MAIN = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fake-graph-main.ts');

/** One message as the out-of-process fake Graph API recorded it. */
export interface ArrivedMessage {
  to: string;
  at: Date;
  text: string;
}

export interface FakeGraphProcess {
  baseUrl: string;
  /** Every message that arrived so far, in arrival order. */
  sent(): Promise<ArrivedMessage[]>;
  close(): Promise<void>;
}

/**
 * The fake Graph API in its own process, as Meta is another host: when a test process is busy (driving
 * hundreds of requests), arrivals are still stamped when they arrive, not when its event loop gets to them.
 * For tests that judge arrival times (the send pace); the others use the in-process startFakeGraphApi.
 */
export async function startFakeGraphProcess(accessToken: string): Promise<FakeGraphProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', FAKE_GRAPH_ACCESS_TOKEN: accessToken },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  process.once('exit', () => child.kill('SIGKILL'));
  const first = await new Promise<string>((resolve, reject) => {
    readline.createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`The fake Graph API process exited (${code}) before listening`)));
  });
  const { graphUrl, controlUrl } = JSON.parse(first) as { graphUrl: string; controlUrl: string };
  return {
    baseUrl: graphUrl,
    async sent() {
      const res = await fetch(`${controlUrl}/sent`);
      const rows = (await res.json()) as { to: string; at: string; text: string }[];
      return rows.map((r) => ({ ...r, at: new Date(r.at) }));
    },
    async close() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}
