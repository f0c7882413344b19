// Cross-site request refusal: a state-changing request authenticated by the session cookie must come from our own origin.
import type { FastifyRequest } from 'fastify';
import { DomainError } from '../core/errors';
import { cookieToken, headerToken } from './credentials';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The origin the browser says the request came from: the Origin header, or else the Referer's origin. */
function claimedOrigin(req: FastifyRequest): string | undefined {
  const origin = req.headers.origin;
  if (origin !== undefined) return origin;
  const referer = req.headers.referer;
  if (referer === undefined) return undefined;
  try {
    return new URL(referer).origin;
  } catch {
    return 'null';
  }
}

function hostOf(origin: string): string | null {
  try {
    return new URL(origin).host;
  } catch {
    return null;
  }
}

/**
 * Throws forbidden when a cookie-authenticated request that changes state names a foreign origin (or the
 * opaque "null" one). Browsers always send Origin on such requests; a client that sends none is not a
 * browser and cannot be made to carry someone else's cookie. Bearer-header requests are not cookie-based.
 */
export function refuseForeignOrigin(req: FastifyRequest): void {
  if (SAFE_METHODS.has(req.method)) return;
  if (headerToken(req) !== undefined || cookieToken(req) === undefined) return;
  const origin = claimedOrigin(req);
  if (origin === undefined) return;
  const host = hostOf(origin);
  if (host !== null && host === req.headers.host) return;
  throw new DomainError(
    'forbidden',
    `a request from another site (origin ${origin}) may not use the session cookie`,
    {
      fix: 'call the API from the Opsroom itself, or send an Authorization: Bearer header instead of the cookie',
    },
  );
}
