import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Runs one of our TypeScript entry points (path from the repo root) in a child process, with only PATH and `env`. */
export function runScript(script: string, argv: string[], env: Record<string, string>): SpawnSyncReturns<string> {
  // node --import tsx, as server-process.ts starts the server: npx adds an npm start-up (seconds on a loaded machine).
  return spawnSync(process.execPath, ['--import', 'tsx', script, ...argv], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
}
