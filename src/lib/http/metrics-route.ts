import type { RequestHandler } from 'express';
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { registry, setGaugeReader } from '../metrics.js';
import { photoStorageBytes } from '../../photos/photo-usage.js';
import { secretsEqual } from './auth.js';
import { UnauthorizedError } from '../errors.js';

/**
 * GET /metrics in Prometheus text format. Open to loopback (a Prometheus or curl on the host);
 * from elsewhere it needs `Authorization: Bearer <API_TOKEN>`.
 */
export function metricsRoute(opts: { db: Db; apiToken: string; photosDir: string }): RequestHandler {
  setGaugeReader(() => readGauges(opts.db, opts.photosDir));
  return async (req, res) => {
    const loopback =
      ['127.0.0.1', '::1', '::ffff:127.0.0.1'].includes(req.socket.remoteAddress ?? '') &&
      !req.headers['x-forwarded-for'];
    const token = /^Bearer\s+(.+)$/i.exec(req.get('authorization') ?? '')?.[1];
    if (!loopback && !(token && secretsEqual(token, opts.apiToken)))
      throw new UnauthorizedError('Metrics need the API token from outside this host');
    res.type(registry.contentType).send(await registry.metrics());
  };
}

async function readGauges(db: Db, photosDir: string): Promise<Record<string, number>> {
  const r = await db.execute<Record<string, number>>(sql`
    SELECT
      (SELECT count(*)::int FROM whatsapp_outbox WHERE status IN ('pending', 'sending')) AS backlog,
      (SELECT COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0)::float FROM whatsapp_outbox WHERE status IN ('pending', 'sending')) AS "oldestAge",
      (SELECT count(*)::int FROM whatsapp_outbox WHERE status = 'failed' AND created_at > now() - interval '24 hours') AS "failed24h",
      (SELECT COALESCE(count(*) FILTER (WHERE status = 'failed')::float / NULLIF(count(*) FILTER (WHERE status <> 'pending' AND status <> 'sending'), 0), 0)
         FROM whatsapp_outbox WHERE created_at > now() - interval '24 hours') AS "failedRatio",
      (SELECT count(*)::int FROM whatsapp_conversation_sessions WHERE status = 'active') AS active,
      (SELECT count(*)::int FROM whatsapp_conversation_sessions WHERE status = 'expired' AND ended_at > now() - interval '24 hours') AS "expired24h",
      (SELECT count(*)::int FROM whatsapp_inbox WHERE status = 'pending') AS "inboxPending"`);
  return { ...(r.rows[0] ?? {}), photoBytes: await photoStorageBytes(photosDir) };
}
