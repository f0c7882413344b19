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

// The rules read the last k readings in place (no slice per rule and step: that garbage was a share of the
// detector's time); each says the same as it would over a copy of those readings.

/** At least `m` of the last `k` beyond `limit` on one side, the current reading among them. */
function mOfK(z: readonly number[], m: number, k: number, limit: number): boolean {
  if (z.length < k) return false;
  const cur = z[z.length - 1] as number;
  const side = Math.sign(cur);
  if (Math.abs(cur) <= limit) return false;
  let count = 0;
  for (let i = z.length - k; i < z.length; i++) {
    const v = z[i] as number;
    if (Math.sign(v) === side && Math.abs(v) > limit) count++;
  }
  return count >= m;
}

function sameSide(z: readonly number[], k: number): boolean {
  if (z.length < k) return false;
  let above = true;
  let below = true;
  for (let i = z.length - k; i < z.length; i++) {
    const v = z[i] as number;
    if (!(v > 0)) above = false;
    if (!(v < 0)) below = false;
  }
  return above || below;
}

function monotone(z: readonly number[], k: number): boolean {
  if (z.length < k) return false;
  let up = true;
  let down = true;
  for (let i = z.length - k + 1; i < z.length; i++) {
    const d = (z[i] as number) - (z[i - 1] as number);
    if (!(d > 0)) up = false;
    if (!(d < 0)) down = false;
  }
  return up || down;
}

function alternating(z: readonly number[], k: number): boolean {
  if (z.length < k) return false;
  let before = 0;
  for (let i = z.length - k + 1; i < z.length; i++) {
    const s = Math.sign((z[i] as number) - (z[i - 1] as number));
    if (s === 0 || (i > z.length - k + 1 && s !== -before)) return false;
    before = s;
  }
  return true;
}

function within(z: readonly number[], k: number): boolean {
  if (z.length < k) return false;
  for (let i = z.length - k; i < z.length; i++) if (!(Math.abs(z[i] as number) < 1)) return false;
  return true;
}

function outsideBothSides(z: readonly number[], k: number): boolean {
  if (z.length < k) return false;
  let above = false;
  let below = false;
  for (let i = z.length - k; i < z.length; i++) {
    const v = z[i] as number;
    if (!(Math.abs(v) > 1)) return false;
    if (v > 0) above = true;
    if (v < 0) below = true;
  }
  return above && below;
}

const WESTERN_ELECTRIC: Rule[] = [
  ['western-electric-1', 1, (z) => Math.abs(z[z.length - 1] as number) > 3, 'one reading beyond 3σ'],
  ['western-electric-2', 3, (z) => mOfK(z, 2, 3, 2), 'two of three readings beyond 2σ on one side'],
  ['western-electric-3', 5, (z) => mOfK(z, 4, 5, 1), 'four of five readings beyond 1σ on one side'],
  ['western-electric-4', 8, (z) => sameSide(z, 8), 'eight readings in a row on one side of the centre line'],
];

const NELSON: Rule[] = [
  ['nelson-1', 1, (z) => Math.abs(z[z.length - 1] as number) > 3, 'one reading beyond 3σ'],
  ['nelson-2', 9, (z) => sameSide(z, 9), 'nine readings in a row on one side of the centre line'],
  ['nelson-3', 6, (z) => monotone(z, 6), 'six readings in a row steadily increasing or decreasing'],
  ['nelson-4', 14, (z) => alternating(z, 14), 'fourteen readings in a row alternating up and down'],
  ['nelson-5', 3, (z) => mOfK(z, 2, 3, 2), 'two of three readings beyond 2σ on one side'],
  ['nelson-6', 5, (z) => mOfK(z, 4, 5, 1), 'four of five readings beyond 1σ on one side'],
  ['nelson-7', 15, (z) => within(z, 15), 'fifteen readings in a row within 1σ of the centre line'],
  ['nelson-8', 8, (z) => outsideBothSides(z, 8), 'eight readings in a row beyond 1σ, on both sides'],
];

type Rule = [string, number, (z: readonly number[]) => boolean, string];

/**
 * The rules of each list of sets, made once per list (a detector passes its own settings' list at every reading,
 * and spreading, filtering and mapping the rule tables per reading was a share of the SPC detector's garbage).
 */
const rulesOf = new WeakMap<readonly RuleSet[], readonly Rule[]>();

function rulesFor(sets: readonly RuleSet[]): readonly Rule[] {
  let rules = rulesOf.get(sets);
  if (rules === undefined) {
    rules = [
      ...(sets.includes('western-electric') ? WESTERN_ELECTRIC : []),
      ...(sets.includes('nelson') ? NELSON : []),
    ];
    rulesOf.set(sets, rules);
  }
  return rules;
}

/** The rules of the chosen sets that the latest reading (last of `z`) completes, in the sets' rule order. */
export function evaluateRules(z: readonly number[], sets: readonly RuleSet[]): RuleHit[] {
  const hits: RuleHit[] = [];
  for (const [rule, span, test, description] of rulesFor(sets))
    if (test(z)) hits.push({ rule, span, description });
  return hits;
}
