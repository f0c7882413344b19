// Heavy operations (analysis, planning, evaluation, counting) declare their size limits with the operation;
// one central gate enforces them and bounds how many heavy calls one principal runs at once, so that nobody,
// signed in or not, can occupy the server's compute for everyone else.
import type { Compute } from './compute-pool';
import { DomainError } from './errors';
import { actorKey, type Principal } from './principal';

/** One size limit of an operation's input, measured before any work is done. */
export interface SizeLimit<I = unknown> {
  /** The input field the limit is about (named in the problem document). */
  field: string;
  /** What is counted, e.g. "bytes", "ballots", "files". */
  unit: string;
  /** Most for a signed-in caller. */
  max: number;
  /** Most for an anonymous caller (defaults to `max`): above it the caller must sign in. */
  anonymousMax?: number;
  measure: (input: I) => number;
}

export interface HeavyDeclaration<I = unknown> {
  /** Size limits checked before the call (others, known only once the input is parsed, in `notes`). */
  limits: SizeLimit<I>[];
  /** Limits checked while the input is read (matrix order, nonzeros, periods × products…), in words. */
  notes?: string[];
}

/** Counts heavy calls in flight per principal; all anonymous callers share one count. */
export class HeavyGate {
  private readonly inFlight = new Map<string, number>();

  constructor(
    readonly perPrincipal: number,
    readonly anonymous: number,
  ) {}

  /** Takes a slot or refuses with `rate-limited`; returns the release function. */
  enter(principal: Principal): () => void {
    // The local operator and internal jobs are the server's own work, not a caller to keep in bounds.
    if (principal.kind === 'system') return () => {};
    const key = actorKey(principal);
    const limit = principal.kind === 'anonymous' ? this.anonymous : this.perPrincipal;
    const now = this.inFlight.get(key) ?? 0;
    if (now >= limit) {
      throw new DomainError(
        'rate-limited',
        `${principal.kind === 'anonymous' ? 'anonymous callers' : 'you'} already run ${now} heavy computation${now === 1 ? '' : 's'} (at most ${limit} at a time); wait for it to finish`,
        {
          fix: 'wait for your running computation to finish, then retry',
          data: { retryAfterSeconds: 1, limit },
        },
      );
    }
    this.inFlight.set(key, now + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.inFlight.get(key) ?? 1) - 1;
      if (left <= 0) this.inFlight.delete(key);
      else this.inFlight.set(key, left);
    };
  }
}

/** Refuses an input above a declared limit: a 401 asking an anonymous caller to sign in, else a 400. */
export function checkSizeLimits<I>(limits: SizeLimit<I>[], input: I, principal: Principal): void {
  for (const limit of limits) {
    const size = limit.measure(input);
    const anonymousMax = limit.anonymousMax ?? limit.max;
    if (principal.kind === 'anonymous' && size > anonymousMax && anonymousMax < limit.max) {
      throw new DomainError(
        'unauthenticated',
        `${limit.field}: ${size} ${limit.unit} is more than anonymous callers may send (at most ${anonymousMax}); sign in to send up to ${limit.max}`,
        {
          issues: [
            { field: limit.field, message: `at most ${anonymousMax} ${limit.unit} without signing in` },
          ],
          fix: 'sign in, or send a smaller input',
          data: { limit: anonymousMax, size },
        },
      );
    }
    if (size > limit.max) {
      throw new DomainError(
        'invalid',
        `${limit.field}: ${size} ${limit.unit} is more than the limit of ${limit.max}`,
        {
          issues: [{ field: limit.field, message: `at most ${limit.max} ${limit.unit}` }],
          fix: 'send a smaller input, or split it',
          data: { limit: limit.max, size },
        },
      );
    }
  }
}

/** The compute pool with the gate of its heavy callers: `ctx.services.compute`. */
export interface ComputeService extends Compute {
  gate: HeavyGate;
}

declare module './services' {
  interface Services {
    compute: ComputeService;
  }
}

/** Runs a heavy operation's handler inside its limits and a concurrency slot of its principal. */
export async function runHeavy<I, T>(
  heavy: HeavyDeclaration<I>,
  input: I,
  principal: Principal,
  services: { compute?: ComputeService },
  handler: () => Promise<T>,
): Promise<T> {
  checkSizeLimits(heavy.limits, input, principal);
  const release = services.compute?.gate.enter(principal);
  try {
    return await handler();
  } finally {
    release?.();
  }
}
