// Words for plan constraints and amounts, shared by binding-constraint lists and infeasibility explanations.

// Made on first use: building a number format loads locale data, which every `ogas` start would pay for.
let formats: Record<'grouped' | 'twoPlaces' | 'small', Intl.NumberFormat> | undefined;
function format() {
  formats ??= {
    grouped: new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 }),
    twoPlaces: new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 }),
    small: new Intl.NumberFormat('en-US', { maximumSignificantDigits: 4 }),
  };
  return formats;
}

/** 1240.4 → "1,240"; 3.14159 → "3.14"; 0.000123 → "0.000123". */
export function formatAmount(x: number): string {
  const a = Math.abs(x);
  if (a >= 100) return format().grouped.format(x);
  if (a >= 1) return format().twoPlaces.format(x);
  return format().small.format(x);
}

export type ConstraintKind = 'target' | 'skill' | 'resource' | 'capacity' | 'stock';

/** Names a constraint: "skill 'machining' in period 3". */
export function constraintName(kind: ConstraintKind, code: string, period: number): string {
  const what =
    kind === 'target'
      ? `target for product '${code}'`
      : kind === 'skill'
        ? `skill '${code}'`
        : kind === 'resource'
          ? `resource '${code}'`
          : kind === 'capacity'
            ? `capacity of technology '${code}'`
            : `capital stock '${code}'`;
  return `${what} in period ${period}`;
}
