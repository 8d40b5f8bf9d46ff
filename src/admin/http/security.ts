import helmet from 'helmet';
import type { RequestHandler } from 'express';
import { ForbiddenError } from '../../lib/errors.js';

/**
 * helmet's headers with a strict Content-Security-Policy: only our own scripts, styles and images (photos
 * may also be data: URLs), no inline code, no framing. HSTS and upgrade-insecure-requests in production only,
 * so http://localhost keeps working in development.
 */
export function securityHeaders(production: boolean): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
        ...(production ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    strictTransportSecurity: production ? { maxAge: 180 * 24 * 3600 } : false,
    referrerPolicy: { policy: 'same-origin' },
    frameguard: { action: 'deny' },
  });
}

/**
 * For forms without a CSRF token (the simulator's): a browser always sends Origin with a POST, so one
 * from another site is refused. SameSite=Lax cookies already keep the session out of such requests.
 */
export const sameOriginPosts: RequestHandler = (req, _res, next) => {
  if (req.method === 'GET' || req.method === 'HEAD') return next();
  const origin = req.get('origin');
  if (origin && origin !== `${req.protocol}://${req.get('host')}`)
    return next(new ForbiddenError('Forms from another site are refused'));
  next();
};

/** Pages show personal data: never cached, so Back after signing out shows nothing. */
export const noStore: RequestHandler = (_req, res, next) => {
  res.set('Cache-Control', 'no-store');
  next();
};
