import type { IncomingHttpHeaders } from 'node:http';
import type { RequestHandler } from 'express';
import { registry, setGaugeReader } from '../metrics.js';
import { secretsEqual } from './auth.js';
import { UnauthorizedError } from '../errors.js';

const LOOPBACK = ['127.0.0.1', '::1', '::ffff:127.0.0.1'];

/**
 * A proxy on this host that forwards a client: any X-Forwarded-* header, Forwarded or X-Real-IP. A proxy
 * that sets only X-Forwarded-Proto must not make every client look like loopback.
 */
const proxied = (headers: IncomingHttpHeaders): boolean =>
  Object.keys(headers).some((h) => h.startsWith('x-forwarded-') || h === 'forwarded' || h === 'x-real-ip');

/**
 * GET /metrics in Prometheus text format. Open to loopback (a Prometheus or curl on the host);
 * from elsewhere it needs `Authorization: Bearer <API_TOKEN>`.
 */
export function metricsRoute(opts: {
  apiToken: string;
  readGauges: () => Promise<Record<string, number>>;
}): RequestHandler {
  setGaugeReader(opts.readGauges);
  return async (req, res) => {
    const loopback = LOOPBACK.includes(req.socket.remoteAddress ?? '') && !proxied(req.headers);
    const token = /^Bearer\s+(.+)$/i.exec(req.get('authorization') ?? '')?.[1];
    if (!loopback && !(token && secretsEqual(token, opts.apiToken)))
      throw new UnauthorizedError('Metrics need the API token from outside this host');
    res.type(registry.contentType).send(await registry.metrics());
  };
}
