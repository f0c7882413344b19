// The common shape of every Cyberstride detector: JSON settings in, JSON state carried between readings,
// and for each reading a forecast made before seeing it, probabilities and the signals that fired.
import type { z } from 'zod';
import { DomainError } from '../../core/errors';

export type DetectorKind = 'anomaly-likelihood' | 'harrison-stevens' | 'bocpd' | 'spc';

export type Severity = 'info' | 'warning' | 'critical';

/** Something a detector noticed at one reading; alerts are raised from the critical ones. */
export interface Signal {
  /** Stable rule id, e.g. "level-change", "change-point", "nelson-2". */
  rule: string;
  severity: Severity;
  message: string;
  /** JSON facts behind the signal: probabilities, forecast against actual, the points of a run... */
  evidence: Record<string, unknown>;
}

/** The one-step forecast made before the reading was seen. */
export interface Forecast {
  mean: number;
  lower: number;
  upper: number;
  /** Probability covered by [lower, upper], e.g. 0.95. */
  level: number;
}

export interface DetectorOutput {
  /** Null while the detector is still learning its scale from the first readings. */
  forecast: Forecast | null;
  /** A number in [0, 1] saying how unusual this reading is; each detector documents its meaning. */
  score: number;
  /** Named posterior probabilities (Harrison–Stevens states, BOCPD change now...). */
  probabilities: Record<string, number>;
  /**
   * A change of regime was recognised at this reading; it began `lag` readings ago (0 = this one).
   * The TCPD evaluation turns these into predicted change-point indices.
   */
  changePoint: { lag: number } | null;
  /** Empty when nothing happened. */
  signals: Signal[];
}

/**
 * A detector: pure functions over a JSON-serialisable state, so the state can be stored after every reading
 * and restored after a restart with identical subsequent outputs.
 */
export interface Detector<State> {
  readonly kind: DetectorKind;
  /** The settings after defaults were filled in (JSON). */
  readonly settings: Record<string, unknown>;
  initialState(): State;
  /**
   * The stored state as this detector can continue it, or null when it cannot (a state of another kind, or one
   * stored by an older version of the detector): the caller then restarts the series' warm-up.
   */
  restore(stored: unknown): State | null;
  /** Consumes one reading at time t (any increasing number, e.g. epoch ms or an index); O(1) amortised. */
  update(state: State, value: number, t: number): { state: State; output: DetectorOutput };
  /**
   * Optional: `update` over values[i] at times[i] in turn, each output handed to `each` in order, returning the
   * last state only. For a detector whose intermediate states cost more to build than the caller needs (a series'
   * batch reads none of them); it must give the very outputs and last state the updates would.
   */
  scan?(
    state: State,
    values: ArrayLike<number>,
    times: ArrayLike<number>,
    each: (i: number, output: DetectorOutput) => void,
  ): State;
}

/** Parses detector settings with defaults; a bad field becomes an `invalid` DomainError naming it. */
export function parseSettings<T>(kind: DetectorKind, schema: z.ZodType<T>, input: unknown): T {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => ({
    field: ['settings', ...i.path.map(String)].join('.'),
    message: i.message,
  }));
  throw new DomainError(
    'invalid',
    `invalid ${kind} detector settings: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`,
    {
      issues,
      fix: `correct the named settings of the ${kind} detector, or omit them to use the defaults`,
    },
  );
}

/** A `restore` from a zod schema of the state: the parsed state when it fits, null otherwise. */
export function stateReader<State>(schema: z.ZodType<State>): (stored: unknown) => State | null {
  return (stored) => {
    const r = schema.safeParse(stored);
    return r.success ? r.data : null;
  };
}

/** Rejects a reading that is not a finite number (callers quarantine such readings before detection). */
export function assertFiniteReading(kind: DetectorKind, value: number): void {
  if (!Number.isFinite(value)) {
    throw new DomainError('invalid', `${kind} detector: reading ${String(value)} is not a finite number`, {
      issues: [{ field: 'value', message: 'must be a finite number' }],
      fix: 'quarantine non-numeric readings before they reach the detector',
    });
  }
}
