// Where a request's credentials come from: an `Authorization: Bearer` header, or the session cookie.
import type { FastifyRequest } from 'fastify';

export const SESSION_COOKIE = 'ogas_session';

/** The token of an `Authorization: Bearer <token>` header; the scheme name is case-insensitive (RFC 7235). */
export function headerToken(req: FastifyRequest): string | undefined {
  const match = /^bearer[ \t]+(\S+)[ \t]*$/i.exec(req.headers.authorization ?? '');
  return match?.[1];
}

export function cookieToken(req: FastifyRequest): string | undefined {
  return req.cookies[SESSION_COOKIE] || undefined;
}

/** The header wins: a request that sends a bearer header is not authenticated by its cookie. */
export function requestToken(req: FastifyRequest): string | undefined {
  return headerToken(req) ?? cookieToken(req);
}
