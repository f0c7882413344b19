// Outcomes of the Leontief computations as values: a result, or a status that names what is wrong.

export interface SolveInfo {
  /** Relative residual of the equation that was solved (see each solver). */
  residual: number;
  iterations: number;
  seconds: number;
  method: string;
}

export type LeontiefFailure =
  | { status: 'invalid'; field: string; message: string }
  | { status: 'not-productive'; eigenvalueEstimate: number; message: string }
  | { status: 'singular'; message: string }
  | { status: 'not-converged'; residual: number; iterations: number; message: string };

export type Outcome<T> = ({ status: 'ok' } & T & SolveInfo) | LeontiefFailure;
