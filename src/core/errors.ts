// The one error type of OGAS. Expected outcomes carry a kind; the edges (HTTP, CLI) map it once.

export const ERROR_KINDS = {
  invalid: { status: 400, exit: 2, title: 'Invalid input' },
  unauthenticated: { status: 401, exit: 3, title: 'Sign-in required' },
  forbidden: { status: 403, exit: 3, title: 'Forbidden' },
  'not-found': { status: 404, exit: 4, title: 'Not found' },
  conflict: { status: 409, exit: 5, title: 'Conflict' },
  duplicate: { status: 409, exit: 5, title: 'Duplicate' },
  infeasible: { status: 422, exit: 6, title: 'Infeasible' },
  'not-productive': { status: 422, exit: 6, title: 'Economy is not productive' },
  singular: { status: 422, exit: 6, title: 'Singular system' },
  cancelled: { status: 409, exit: 7, title: 'Cancelled' },
  /** Too many attempts (sign-in guesses): wait `data.retryAfterSeconds` and try again. */
  'rate-limited': { status: 429, exit: 8, title: 'Too many requests' },
  unavailable: { status: 503, exit: 8, title: 'Service unavailable' },
} as const;

export type ErrorKind = keyof typeof ERROR_KINDS;

/** One problem with one field (or cell) of the input, with what to do about it. */
export interface FieldIssue {
  /** Dotted path of the field, or a cell reference such as "sheet!R12C7" or "row 4, column output_bp". */
  field: string;
  message: string;
}

export interface DomainErrorOptions {
  issues?: FieldIssue[];
  /** What the caller should do to fix it. */
  fix?: string;
  /** Extra machine-readable facts (e.g. the eigenvalue estimate of a non-productive economy). */
  data?: Record<string, unknown>;
}

export class DomainError extends Error {
  readonly kind: ErrorKind;
  readonly issues: FieldIssue[];
  readonly fix: string | undefined;
  readonly data: Record<string, unknown> | undefined;

  constructor(kind: ErrorKind, message: string, options: DomainErrorOptions = {}) {
    super(message);
    this.name = 'DomainError';
    this.kind = kind;
    this.issues = options.issues ?? [];
    this.fix = options.fix;
    this.data = options.data;
  }
}

/** Shorthand for a validation failure on one named field. */
export function invalidField(field: string, message: string, fix?: string): DomainError {
  return new DomainError('invalid', `${field}: ${message}`, {
    issues: [{ field, message }],
    ...(fix === undefined ? {} : { fix }),
  });
}

export function notFound(what: string, id: string | number): DomainError {
  return new DomainError('not-found', `${what} "${id}" does not exist`, {
    fix: `check the ${what} id; list them to see which exist`,
  });
}

export function isDomainError(e: unknown): e is DomainError {
  return e instanceof DomainError;
}
