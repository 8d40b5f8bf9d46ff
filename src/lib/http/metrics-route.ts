import type { RequestHandler } from 'express';
import { registry, setGaugeReader } from '../metrics.js';
import { secretsEqual } from './auth.js';
import { UnauthorizedError } from '../errors.js';

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
    const loopback =
      ['127.0.0.1', '::1', '::ffff:127.0.0.1'].includes(req.socket.remoteAddress ?? '') &&
      !req.headers['x-forwarded-for'];
    const token = /^Bearer\s+(.+)$/i.exec(req.get('authorization') ?? '')?.[1];
    if (!loopback && !(token && secretsEqual(token, opts.apiToken)))
      throw new UnauthorizedError('Metrics need the API token from outside this host');
    res.type(registry.contentType).send(await registry.metrics());
  };
}
