// The decisions at the end of a round: who is elected, and otherwise who is eliminated and why.

import { DomainError } from '../../../core/errors';
import { Decimal } from '../decimal';
import type { RcvRules } from './rules';
import { breakTie, type TieBreakContext } from './tiebreak';

export interface Decision {
  candidates: number[];
  reason: string;
  /** Set when a tie had to be broken. */
  tie?: { tied: number[]; explanation: string };
}

export interface RoundView {
  round: number;
  /** Votes of the candidates in this round's count, in candidate order. */
  tally: ReadonlyMap<number, Decimal>;
  threshold: Decimal;
  names: readonly string[];
  /** Index of the undeclared write-in pseudo-candidate, or -1. */
  uwi: number;
  winnersSoFar: number;
  eliminatedSoFar: number;
  numCandidates: number;
  numDeclaredCandidates: number;
}

/** Candidates grouped by equal votes, lowest first (RCTab's tally-to-candidates map). */
export function groupsByVotes(
  tally: ReadonlyMap<number, Decimal>,
): { votes: Decimal; candidates: number[] }[] {
  const groups: { votes: Decimal; candidates: number[] }[] = [];
  const sorted = [...tally.entries()].sort((a, b) => a[1].compare(b[1]));
  for (const [c, v] of sorted) {
    const last = groups[groups.length - 1];
    if (last && last.votes.equals(v)) last.candidates.push(c);
    else groups.push({ votes: v, candidates: [c] });
  }
  return groups;
}

function tie(
  selectingWinner: boolean,
  candidates: number[],
  view: RoundView,
  ctx: TieBreakContext,
): { chosen: number; explanation: string } {
  const outcome = breakTie(
    selectingWinner,
    candidates.map((c) => view.names[c] as string),
    view.round,
    ctx,
  );
  return { chosen: view.names.indexOf(outcome.selected), explanation: outcome.explanation };
}

/** Winners of this round (possibly none), as RCTab's identifyWinners decides them. */
export function identifyWinners(
  view: RoundView,
  rules: RcvRules,
  ctx: TieBreakContext,
): Decision | undefined {
  const { tally, threshold, uwi } = view;
  // No one can win while undeclared write-ins still hold votes: they are eliminated first.
  if (uwi >= 0 && (tally.get(uwi)?.signum() ?? 0) !== 0) return undefined;
  const groups = groupsByVotes(tally);
  if (rules.winnerElectionMode === 'bottomsUpUsingPercentageThreshold') {
    const above = [...tally.values()].filter((v) => v.compare(threshold) > 0).length;
    return above === tally.size
      ? {
          candidates: [...tally.keys()],
          reason: 'every remaining candidate is above the percentage threshold',
        }
      : undefined;
  }
  const unfilled = rules.numberOfWinners - view.winnersSoFar;
  let selected: number[] = [];
  let reason = '';
  if (unfilled > 0) {
    if (tally.size <= unfilled) {
      selected = [...tally.keys()];
      reason = 'as many candidates remain as seats to fill';
    } else if (rules.firstRoundDeterminesThreshold && tally.size - 1 === rules.numberOfWinners) {
      selected = [...(groups[groups.length - 1]?.candidates ?? [])];
      reason = 'most votes in the last round';
    } else if (rules.winnerElectionMode !== 'bottomsUp') {
      for (const g of groups) {
        if (g.votes.compare(threshold) >= 0) selected.push(...g.candidates.filter((c) => c !== uwi));
      }
      reason = `reached the threshold of ${threshold}`;
    }
  }
  const oneAtATime =
    selected.length > 1 &&
    (rules.winnerElectionMode === 'multiWinnerAllowOnlyOneWinnerPerRound' ||
      rules.firstRoundDeterminesThreshold);
  const lastTwoNoneAbove =
    rules.numberOfWinners === 1 &&
    selected.length === 0 &&
    tally.size === 2 &&
    unfilled === 1 &&
    [...tally.values()].every((v) => v.compare(rules.minimumVoteThreshold) >= 0);
  if (oneAtATime || lastTwoNoneAbove) {
    const top = groups[groups.length - 1];
    if (!top) return undefined;
    if (lastTwoNoneAbove) reason = 'most votes of the last two candidates';
    else reason = `most votes among those above the threshold of ${threshold} (one winner per round)`;
    if (top.candidates.length > 1) {
      const t = tie(true, top.candidates, view, ctx);
      return {
        candidates: [t.chosen],
        reason: `${reason}; won a tie-break`,
        tie: { tied: top.candidates, explanation: t.explanation },
      };
    }
    return { candidates: [...top.candidates], reason };
  }
  return selected.length > 0 ? { candidates: selected, reason } : undefined;
}

/** Candidates who cannot catch up with the next lowest, as RCTab's runBatchElimination finds them. */
function batchElimination(view: RoundView, rules: RcvRules): number[] {
  const places = rules.decimalPlacesForVoteArithmetic;
  let running = Decimal.ZERO;
  const seen: number[] = [];
  const eliminated = new Set<number>();
  let eliminations: number[] = [];
  let previous: number[] = [];
  for (const g of groupsByVotes(view.tally)) {
    const next = [...eliminations];
    if (running.compare(g.votes) < 0) {
      for (const c of seen) {
        if (!eliminated.has(c)) {
          eliminated.add(c);
          next.push(c);
        }
      }
    }
    running = running.add(g.votes.multiply(Decimal.of(g.candidates.length)).setScale(places, 'down'));
    seen.push(...g.candidates);
    if (next.length > eliminations.length) {
      previous = eliminations;
      eliminations = next;
    }
  }
  if (
    rules.continueUntilTwoCandidatesRemain &&
    eliminations.length + view.eliminatedSoFar === view.numCandidates - 1
  ) {
    eliminations = previous;
  }
  return eliminations;
}

/** Who leaves the count this round, in RCTab's order of precedence. */
export function chooseEliminations(view: RoundView, rules: RcvRules, ctx: TieBreakContext): Decision {
  const { tally, uwi } = view;
  if (uwi >= 0 && (tally.get(uwi)?.signum() ?? 0) === 1) {
    return { candidates: [uwi], reason: 'undeclared write-ins are eliminated first' };
  }
  const min = rules.minimumVoteThreshold;
  const groups = groupsByVotes(tally);
  if (min.signum() === 1 && groups[0] && groups[0].votes.compare(min) < 0) {
    const below = groups.filter((g) => g.votes.compare(min) < 0).flatMap((g) => g.candidates);
    if (below.length === view.numDeclaredCandidates) {
      throw new DomainError('infeasible', `every declared candidate has fewer than ${min} votes`, {
        issues: [{ field: 'rules.minimumVoteThreshold', message: 'no candidate reaches it' }],
        fix: 'lower minimumVoteThreshold',
      });
    }
    return { candidates: below, reason: `fewer than the minimum of ${min} votes` };
  }
  if (rules.batchElimination) {
    const batch = batchElimination(view, rules);
    if (batch.length > 1) {
      return {
        candidates: batch,
        reason: 'batch elimination: together they have fewer votes than the next candidate',
      };
    }
  }
  const lowest = groups[0];
  if (!lowest) {
    throw new DomainError('infeasible', `round ${view.round}: no candidate is left to eliminate`, {
      fix: 'check the candidates (excluded candidates cannot be eliminated) and numberOfWinners',
    });
  }
  if (lowest.candidates.length > 1) {
    const t = tie(false, lowest.candidates, view, ctx);
    return {
      candidates: [t.chosen],
      reason: `fewest votes (${lowest.votes}); lost a tie-break`,
      tie: { tied: lowest.candidates, explanation: t.explanation },
    };
  }
  return { candidates: [...lowest.candidates], reason: `fewest votes (${lowest.votes})` };
}
