// The Western Electric and Nelson run rules over the most recent standardised readings z = (x − centre) / σ.

export type RuleSet = 'western-electric' | 'nelson';

export interface RuleHit {
  rule: string;
  /** How many of the latest readings form the pattern (the current one included). */
  span: number;
  description: string;
}

/** The longest window any rule needs (Nelson 7: fifteen readings). */
export const RULE_WINDOW = 15;

const last = (z: readonly number[], k: number) => (z.length >= k ? z.slice(z.length - k) : null);

/** At least `m` of the last `k` beyond `limit` on one side, the current reading among them. */
function mOfK(z: readonly number[], m: number, k: number, limit: number): boolean {
  const w = last(z, k);
  if (w === null) return false;
  const cur = w[k - 1] as number;
  const side = Math.sign(cur);
  if (Math.abs(cur) <= limit) return false;
  return w.filter((v) => Math.sign(v) === side && Math.abs(v) > limit).length >= m;
}

function sameSide(z: readonly number[], k: number): boolean {
  const w = last(z, k);
  return w !== null && (w.every((v) => v > 0) || w.every((v) => v < 0));
}

function monotone(z: readonly number[], k: number): boolean {
  const w = last(z, k);
  if (w === null) return false;
  const d = w.slice(1).map((v, i) => v - (w[i] as number));
  return d.every((x) => x > 0) || d.every((x) => x < 0);
}

function alternating(z: readonly number[], k: number): boolean {
  const w = last(z, k);
  if (w === null) return false;
  const d = w.slice(1).map((v, i) => Math.sign(v - (w[i] as number)));
  return d.every((s, i) => s !== 0 && (i === 0 || s === -(d[i - 1] as number)));
}

const within = (z: readonly number[], k: number) => last(z, k)?.every((v) => Math.abs(v) < 1) ?? false;

function outsideBothSides(z: readonly number[], k: number): boolean {
  const w = last(z, k);
  return w !== null && w.every((v) => Math.abs(v) > 1) && w.some((v) => v > 0) && w.some((v) => v < 0);
}

const WESTERN_ELECTRIC: [string, number, (z: readonly number[]) => boolean, string][] = [
  ['western-electric-1', 1, (z) => Math.abs(z[z.length - 1] as number) > 3, 'one reading beyond 3σ'],
  ['western-electric-2', 3, (z) => mOfK(z, 2, 3, 2), 'two of three readings beyond 2σ on one side'],
  ['western-electric-3', 5, (z) => mOfK(z, 4, 5, 1), 'four of five readings beyond 1σ on one side'],
  ['western-electric-4', 8, (z) => sameSide(z, 8), 'eight readings in a row on one side of the centre line'],
];

const NELSON: [string, number, (z: readonly number[]) => boolean, string][] = [
  ['nelson-1', 1, (z) => Math.abs(z[z.length - 1] as number) > 3, 'one reading beyond 3σ'],
  ['nelson-2', 9, (z) => sameSide(z, 9), 'nine readings in a row on one side of the centre line'],
  ['nelson-3', 6, (z) => monotone(z, 6), 'six readings in a row steadily increasing or decreasing'],
  ['nelson-4', 14, (z) => alternating(z, 14), 'fourteen readings in a row alternating up and down'],
  ['nelson-5', 3, (z) => mOfK(z, 2, 3, 2), 'two of three readings beyond 2σ on one side'],
  ['nelson-6', 5, (z) => mOfK(z, 4, 5, 1), 'four of five readings beyond 1σ on one side'],
  ['nelson-7', 15, (z) => within(z, 15), 'fifteen readings in a row within 1σ of the centre line'],
  ['nelson-8', 8, (z) => outsideBothSides(z, 8), 'eight readings in a row beyond 1σ, on both sides'],
];

/** The rules of the chosen sets that the latest reading (last of `z`) completes. */
export function evaluateRules(z: readonly number[], sets: readonly RuleSet[]): RuleHit[] {
  const rules = [
    ...(sets.includes('western-electric') ? WESTERN_ELECTRIC : []),
    ...(sets.includes('nelson') ? NELSON : []),
  ];
  return rules
    .filter(([, , test]) => test(z))
    .map(([rule, span, , description]) => ({ rule, span, description }));
}
