// Collects the problems of an input–output table: refusals naming cells, and tolerated discrepancies.
import type { FieldIssue } from '../../core/errors';

/** Differences within rounding of the published figures pass silently: ±1 unit or 1e-6 relative. */
export const ROUNDING_ABSOLUTE = 1;
export const ROUNDING_RELATIVE = 1e-6;
/** Default relative difference above which a sum is refused rather than accepted with a warning. */
export const DEFAULT_SUM_TOLERANCE = 1e-4;

export class TableAudit {
  readonly issues: FieldIssue[] = [];
  readonly warnings: string[] = [];

  constructor(private readonly tolerance: number = DEFAULT_SUM_TOLERANCE) {}

  refuse(field: string, message: string): void {
    this.issues.push({ field, message });
  }

  /** Checks that `computed` (a sum of cells) matches the total `stated` in `cell`. */
  sum(cell: string, what: string, stated: number, computed: number): void {
    const difference = Math.abs(stated - computed);
    const scale = Math.max(Math.abs(stated), Math.abs(computed));
    if (difference <= Math.max(ROUNDING_ABSOLUTE, ROUNDING_RELATIVE * scale)) return;
    const relative = difference / scale;
    const text = `${what} is ${round(computed)} but the table states ${round(stated)} (off by ${round(difference)}, ${relative.toExponential(1)} relative)`;
    if (relative <= this.tolerance) {
      this.warnings.push(`${cell}: ${text}; accepted within the relative tolerance ${this.tolerance}`);
    } else {
      this.refuse(cell, `${text}; more than the relative tolerance ${this.tolerance}`);
    }
  }
}

function round(x: number): string {
  return Number(x.toPrecision(10)).toString();
}
