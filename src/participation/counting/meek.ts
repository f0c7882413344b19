// Meek's method of single transferable vote (Hill, Wichmann & Woodall 1987, as in New Zealand's
// local-election rules), in fixed-point decimal arithmetic: a second count for several winners.
//
// Every candidate has a keep factor (1 while hopeful, 0 once excluded). A ballot gives each
// candidate in turn the part of its remaining value that candidate keeps (value × keep factor,
// rounded up) and passes the rest on. Winners' keep factors are lowered until each keeps about a
// quota; when that has converged and nobody new reaches the quota, the lowest hopeful is excluded.

import { DomainError } from '../../core/errors';
import { Decimal, pow10 } from './decimal';
import { OVERVOTE, type RankedBallots } from './ranked-ballots';

export interface MeekOptions {
  seats: number;
  /** Decimal places of votes and keep factors (New Zealand uses 9). */
  decimalPlaces?: number;
  /** Iteration stops when the winners' total surplus is at most this (default 10^-(places-4): 0.00001 with 9 places). */
  tolerance?: Decimal;
  /** Candidates out of the count from the start (withdrawn). */
  withdrawn?: readonly number[];
  maxIterations?: number;
}

export interface MeekRound {
  round: number;
  /** Votes of every candidate not excluded, with keep factors, in candidate order. */
  tally: { candidate: string; votes: Decimal; keepFactor: Decimal; status: 'hopeful' | 'elected' }[];
  quota: Decimal;
  /** Value that reached no candidate (exhausted ballots and rounding). */
  excess: Decimal;
  iterations: number;
  elected: { candidate: string; reason: string }[];
  excluded: { candidate: string; reason: string }[];
}

export interface MeekResult {
  method: 'meek';
  rounds: MeekRound[];
  winners: string[];
  totalBallots: number;
  decimalPlaces: number;
}

interface Group {
  /** Candidate indices in order of preference, overvoted ranks and repeats dropped. */
  order: number[];
  count: bigint;
}

/** Identical preference orders counted once, with their number. */
function groups(ballots: RankedBallots): Group[] {
  const byKey = new Map<string, Group>();
  for (let b = 0; b < ballots.size; b++) {
    const start = ballots.offsets[b] as number;
    const end = ballots.offsets[b + 1] as number;
    const order: number[] = [];
    for (let i = start; i < end;) {
      let j = i + 1;
      while (j < end && ballots.ranks[j] === ballots.ranks[i]) j++;
      const c = ballots.choices[i] as number;
      // A rank holding several candidates (or an unnamed overvote) is skipped; a repeat adds nothing.
      if (j - i === 1 && c !== OVERVOTE && !order.includes(c)) order.push(c);
      i = j;
    }
    const key = order.join(',');
    const count = BigInt(ballots.counts ? (ballots.counts[b] as number) : 1);
    const g = byKey.get(key);
    if (g) g.count += count;
    else byKey.set(key, { order, count });
  }
  return [...byKey.values()];
}

const HOPEFUL = 0;
const ELECTED = 1;
const EXCLUDED = 2;

/** Counts by Meek's method. Candidates are named by index into `names`. */
export function countMeek(
  names: readonly string[],
  ballots: RankedBallots,
  options: MeekOptions,
): MeekResult {
  const places = options.decimalPlaces ?? 9;
  if (!Number.isInteger(places) || places < 5 || places > 30) {
    throw new DomainError('invalid', 'decimalPlaces must be a whole number from 5 to 30', {
      issues: [{ field: 'decimalPlaces', message: `got ${places}` }],
    });
  }
  const seats = options.seats;
  if (!Number.isInteger(seats) || seats < 1 || seats > names.length) {
    throw new DomainError('invalid', `seats must be from 1 to the ${names.length} candidates`, {
      issues: [{ field: 'seats', message: `got ${seats}` }],
    });
  }
  const one = pow10(places);
  const tolerance = (options.tolerance ?? new Decimal(1n, places - 4)).setScale(places, 'up').unscaled;
  const maxIterations = options.maxIterations ?? 1000;
  const n = names.length;
  const state = new Uint8Array(n);
  const keep: bigint[] = new Array<bigint>(n).fill(one);
  for (const w of options.withdrawn ?? []) {
    state[w] = EXCLUDED;
    keep[w] = 0n;
  }
  const all = groups(ballots);
  let total = 0n;
  for (const g of all) total += g.count;
  const rounds: MeekRound[] = [];
  const history: bigint[][] = [];
  const winners: number[] = [];
  const divUp = (a: bigint, b: bigint): bigint => (a + b - 1n) / b;

  const distribute = (): { votes: bigint[]; excess: bigint } => {
    const votes: bigint[] = new Array<bigint>(n).fill(0n);
    let excess = 0n;
    for (const g of all) {
      let weight = one;
      for (const c of g.order) {
        if (weight === 0n) break;
        const kf = keep[c] as bigint;
        if (kf === 0n) continue;
        const kept = kf === one ? weight : divUp(weight * kf, one);
        votes[c] = (votes[c] as bigint) + kept * g.count;
        weight -= kept;
      }
      excess += weight * g.count;
    }
    return { votes, excess };
  };

  for (let round = 1; winners.length < seats; round++) {
    const hopeful = (): number[] => [...state.keys()].filter((c) => state[c] === HOPEFUL);
    const elected: MeekRound['elected'] = [];
    const excluded: MeekRound['excluded'] = [];
    let votes: bigint[];
    let excess: bigint;
    let quota: bigint;
    let iterations = 0;
    // Converge: distribute, elect those at or above the quota, lower winners' keep factors.
    for (;;) {
      iterations++;
      ({ votes, excess } = distribute());
      // Droop quota on the votes still held: (total − excess)/(seats + 1), rounded down, plus 10^-places.
      quota = (total * one - excess) / BigInt(seats + 1) + 1n;
      let newlyElected = false;
      for (const c of hopeful()) {
        if ((votes[c] as bigint) >= quota && winners.length < seats) {
          state[c] = ELECTED;
          winners.push(c);
          elected.push({ candidate: names[c] as string, reason: `reached the quota in round ${round}` });
          newlyElected = true;
        }
      }
      let surplus = 0n;
      for (const c of winners) {
        const v = votes[c] as bigint;
        if (v > quota) surplus += v - quota;
      }
      if (winners.length === seats || newlyElected) break;
      if (surplus <= tolerance || iterations >= maxIterations) break;
      for (const c of winners) {
        const v = votes[c] as bigint;
        if (v > 0n) keep[c] = divUp((keep[c] as bigint) * quota, v);
      }
    }
    if (winners.length < seats && elected.length === 0) {
      const left = hopeful();
      if (left.length + winners.length <= seats) {
        for (const c of left) {
          state[c] = ELECTED;
          winners.push(c);
          elected.push({
            candidate: names[c] as string,
            reason: 'as many candidates remain as seats to fill',
          });
        }
      } else {
        const lowest = lowestHopeful(left, votes, history, names);
        state[lowest.candidate] = EXCLUDED;
        keep[lowest.candidate] = 0n;
        excluded.push({ candidate: names[lowest.candidate] as string, reason: lowest.reason });
      }
    }
    history.push(votes);
    rounds.push({
      round,
      tally: [...state.keys()]
        .filter((c) => state[c] !== EXCLUDED || excluded.some((e) => e.candidate === names[c]))
        .map((c) => ({
          candidate: names[c] as string,
          votes: new Decimal(votes[c] as bigint, places),
          keepFactor: new Decimal(state[c] === EXCLUDED ? one : (keep[c] as bigint), places),
          status: state[c] === ELECTED ? ('elected' as const) : ('hopeful' as const),
        })),
      quota: new Decimal(quota, places),
      excess: new Decimal(excess, places),
      iterations,
      elected,
      excluded,
    });
    if (round > 4 * n + 4) throw new Error('Meek count did not finish');
  }
  return {
    method: 'meek',
    rounds,
    winners: winners.map((c) => names[c] as string),
    totalBallots: Number(total),
    decimalPlaces: places,
  };
}

/** The hopeful with the fewest votes; ties go back through earlier rounds, then to the last listed. */
function lowestHopeful(
  left: number[],
  votes: bigint[],
  history: bigint[][],
  names: readonly string[],
): { candidate: number; reason: string } {
  const min = left.reduce(
    (m, c) => ((votes[c] as bigint) < m ? (votes[c] as bigint) : m),
    votes[left[0] as number] as bigint,
  );
  let tied = left.filter((c) => votes[c] === min);
  if (tied.length === 1) return { candidate: tied[0] as number, reason: 'fewest votes' };
  for (let r = history.length - 1; r >= 0 && tied.length > 1; r--) {
    const earlier = history[r] as bigint[];
    const m = tied.reduce(
      (x, c) => ((earlier[c] as bigint) < x ? (earlier[c] as bigint) : x),
      earlier[tied[0] as number] as bigint,
    );
    tied = tied.filter((c) => earlier[c] === m);
  }
  const chosen = tied[tied.length - 1] as number;
  return {
    candidate: chosen,
    reason:
      tied.length === 1
        ? 'fewest votes; tie broken by an earlier round'
        : `fewest votes; tied with ${tied
            .filter((c) => c !== chosen)
            .map((c) => names[c])
            .join(', ')} in every round, excluded as listed last`,
  };
}
