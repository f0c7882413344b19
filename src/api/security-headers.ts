// The usual security headers (@fastify/helmet), with a Content-Security-Policy the Opsroom works under.
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

/**
 * The Opsroom is one origin: its scripts and styles are files Vite built, its data come from /api (fetch and
 * EventSource), ECharts draws on canvas. Nothing inline, nothing from elsewhere, no framing.
 * `upgrade-insecure-requests` is left out: the demo serves plain HTTP, and it would break every request.
 */
export const CONTENT_SECURITY_POLICY: Record<string, string[]> = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'"],
  'img-src': ["'self'", 'data:', 'blob:'],
  'font-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
};

export async function registerSecurityHeaders(server: FastifyInstance): Promise<void> {
  await server.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY },
  });
}
