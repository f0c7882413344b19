// The one way the Opsroom talks to the server: openapi-fetch typed by the generated OpenAPI schema.
import createClient from 'openapi-fetch';
import type { components, operations, paths } from './schema';

export type Problem = components['schemas']['Problem'];

/** Request and success-response types of an operation, by its dotted name. */
export type OpInput<N extends keyof operations> = operations[N] extends {
  requestBody: { content: { 'application/json': infer B } };
}
  ? B
  : never;
export type OpOutput<N extends keyof operations> = operations[N] extends {
  responses: { 200: { content: { 'application/json': infer R } } };
}
  ? R
  : never;

/**
 * The server runs one heavy computation per person at a time and answers a second one with a 429 problem
 * whose data gives `retryAfterSeconds` and `limit`. A page may well ask for two at once (a plan being
 * computed while the labour values load), so the Opsroom waits its turn, up to two minutes, instead of
 * showing the person a refusal of their own other request. Other 429s (sign-in lockouts) are shown as sent.
 */
async function fetchWaitingForOwnComputation(request: Request): Promise<Response> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const response = await fetch(request.clone());
    if (response.status !== 429 || Date.now() > deadline) return response;
    const problem = (await response
      .clone()
      .json()
      .catch(() => null)) as { data?: { retryAfterSeconds?: unknown; limit?: unknown } } | null;
    const wait = problem?.data?.retryAfterSeconds;
    if (typeof wait !== 'number' || typeof problem?.data?.limit !== 'number') return response;
    await new Promise((resolve) => setTimeout(resolve, Math.min(Math.max(wait, 0.2), 5) * 1000));
  }
}

/** Same-origin client: the session travels in the httpOnly cookie set by auth.login. */
export const api = createClient<paths>({
  baseUrl: window.location.origin,
  credentials: 'same-origin',
  fetch: fetchWaitingForOwnComputation,
});

/** An API failure in words: the problem document's detail, the fields at fault and the fix. */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem | undefined;
  constructor(status: number, problem: Problem | undefined, fallback: string) {
    super(problem?.detail ?? fallback);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
  }
}

function isProblem(value: unknown): value is Problem {
  return typeof value === 'object' && value !== null && 'detail' in value && 'status' in value;
}

/**
 * Waits for an openapi-fetch call and returns its data, or throws an ApiError that says what went wrong.
 * A network failure (server down) becomes status 0 with a sentence a person can act on.
 */
export async function unwrap<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await call;
  } catch {
    throw new ApiError(0, undefined, 'The server could not be reached. Check the connection and try again.');
  }
  if (result.response.ok && result.data !== undefined) return result.data;
  const problem = isProblem(result.error) ? result.error : undefined;
  throw new ApiError(
    result.response.status,
    problem,
    `The server answered ${result.response.status} ${result.response.statusText}.`,
  );
}
