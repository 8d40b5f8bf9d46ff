import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../logger.js';

/**
 * As root, embedded PostgreSQL runs as the `postgres` user, which must be able to traverse every
 * folder above its binaries and its data. A clone under a 0700 folder (/root, mktemp -d) would fail
 * with `spawn .../initdb EACCES`; grant traverse-only (o+x) on those ancestors and say so.
 */
export function makeAncestorsTraversable(dirs: string[], log: Logger): void {
  const seen = new Set<string>();
  for (const start of dirs) {
    for (let dir = path.resolve(start); !seen.has(dir); dir = path.dirname(dir)) {
      seen.add(dir);
      const mode = fs.statSync(dir).mode;
      if ((mode & 0o001) === 0) {
        try {
          fs.chmodSync(dir, (mode & 0o7777) | 0o001);
          log.info({ dir }, `Gave ${dir} o+x (traverse only) so the postgres user can reach the embedded database`);
        } catch (err) {
          throw new Error(
            `The postgres user cannot reach ${dir} and it could not be changed (${(err as Error).message}). ` +
              `Run: chmod o+x ${dir}   or set DATABASE_URL to an existing PostgreSQL.`,
            { cause: err },
          );
        }
      }
      if (dir === path.dirname(dir)) break;
    }
  }
}
