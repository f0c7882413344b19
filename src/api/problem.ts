// Maps errors to RFC 9457 problem documents: the HTTP edge's one translation of DomainError.
import type { DomainError } from '../core/errors';
import { ERROR_KINDS } from '../core/errors';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  issues?: { field: string; message: string }[];
  fix?: string;
  data?: Record<string, unknown>;
}

export function problemOf(error: DomainError): Problem {
  const kind = ERROR_KINDS[error.kind];
  return {
    type: `https://ogas.dev/problems/${error.kind}`,
    title: kind.title,
    status: kind.status,
    detail: error.message,
    ...(error.issues.length > 0 ? { issues: error.issues } : {}),
    ...(error.fix === undefined ? {} : { fix: error.fix }),
    ...(error.data === undefined ? {} : { data: error.data }),
  };
}

/** Fastify's own client errors (bad JSON, wrong content type, too large) as problems; never a 5xx. */
export function clientProblem(status: number, detail: string): Problem {
  return {
    type: 'https://ogas.dev/problems/invalid',
    title:
      status === 413 ? 'Payload too large' : status === 415 ? 'Unsupported media type' : 'Invalid request',
    status,
    detail,
    fix:
      status === 413
        ? 'send a smaller body, or split the upload'
        : 'send a JSON object body with Content-Type: application/json',
  };
}

export const INTERNAL_PROBLEM: Problem = {
  type: 'https://ogas.dev/problems/internal',
  title: 'Internal error',
  status: 500,
  detail: 'the server failed; the error was logged',
};
