import type net from 'node:net';
import type pg from 'pg';

/**
 * Listens for 'error' on every connection, checked out or not. pg-pool only listens while a connection is
 * idle; a checked-out one whose server goes away throws its 'error' event and takes the process down.
 */
export function guardCheckedOutClients(pool: pg.Pool, onError: (err: Error) => void = () => undefined): void {
  pool.on('connect', (client) => client.on('error', onError));
}

/** Connections handed out and never handed back (a leak, once nothing is running). */
export function trackCheckouts(pool: pg.Pool) {
  const out = new Set<pg.PoolClient>();
  pool.on('acquire', (client) => out.add(client));
  pool.on('release', (_err, client) => out.delete(client));
  return {
    outstanding: () => out.size,
    /** Hands leaked connections back (they are broken, so the pool drops them), so pool.end() can finish. */
    releaseLeaked() {
      for (const client of [...out]) {
        out.delete(client);
        try {
          client.release(new Error('leaked; released by the test'));
        } catch {
          // released meanwhile
        }
      }
    },
  };
}

/** The next `n` connections handed out lose their socket at once, as when the server goes away right then. */
export function dropConnectionsOnCheckout(pool: pg.Pool) {
  let left = 0;
  pool.on('acquire', (client) => {
    if (left <= 0) return;
    left -= 1;
    (client as unknown as { connection: { stream: net.Socket } }).connection.stream.destroy();
  });
  return {
    arm(n: number) {
      left = n;
    },
  };
}
