// Approval voting, score voting and STAR (score, then an automatic runoff between the two highest).

import { DomainError, type FieldIssue } from '../../core/errors';
import { checkQuorum, meetsShare, shareOf, type DecisionOptions, type QuorumOutcome } from './decision-rules';

function refuse(issues: FieldIssue[], what: string, fix: string): never {
  throw new DomainError('invalid', `${what}: ${issues[0]?.field}: ${issues[0]?.message}`, { issues, fix });
}

export interface OptionTotal {
  option: string;
  total: number;
  /** total ÷ ballots, 4 places (approval: share of ballots approving; score: average). */
  perBallot: string;
}

export type ApprovalResult = {
  method: 'approval';
  ballots: number;
  tally: OptionTotal[];
  /** Options by approvals, most first; equal totals keep the order of the options. */
  ranking: string[];
  winners: string[];
  /** Options tied across the last winning place: the tie is not broken by the count. */
  tiedAtLastSeat: string[];
  quorum: QuorumOutcome;
  /** Whether each winner is approved by the share of ballots needed (when shareNeeded is given). */
  winnersMeetShare: boolean;
};

export interface ApprovalRules {
  minChoices?: number;
  maxChoices?: number;
  winners?: number;
}

function ranked(options: readonly string[], totals: number[]): number[] {
  return options.map((_, i) => i).sort((a, b) => (totals[b] as number) - (totals[a] as number) || a - b);
}

function topWinners(order: number[], totals: number[], seats: number): { winners: number[]; tied: number[] } {
  const winners = order.slice(0, seats);
  const last = winners[winners.length - 1];
  if (last === undefined) return { winners, tied: [] };
  const boundary = totals[last] as number;
  const tied = order.filter((o) => totals[o] === boundary);
  const clear = tied.every((o) => winners.includes(o));
  return { winners, tied: clear ? [] : tied };
}

/** What approval and score counts report alike: the totals, the order, the winners and a tie at the last seat. */
function totalsOutcome(options: readonly string[], totals: number[], ballots: number, seats: number) {
  const order = ranked(options, totals);
  const { winners, tied } = topWinners(order, totals, seats);
  return {
    winnerIndexes: winners,
    outcome: {
      ballots,
      tally: options.map((option, i) => ({
        option,
        total: totals[i] as number,
        perBallot: shareOf(totals[i] as number, ballots),
      })),
      ranking: order.map((o) => options[o] as string),
      winners: winners.map((o) => options[o] as string),
      tiedAtLastSeat: tied.map((o) => options[o] as string),
    },
  };
}

/** Approval: each ballot approves any number of options (within minChoices..maxChoices). */
export function countApproval(
  options: readonly string[],
  ballots: readonly (readonly number[])[],
  rules: ApprovalRules = {},
  decision: DecisionOptions = {},
): ApprovalResult {
  const issues: FieldIssue[] = [];
  const totals = options.map(() => 0);
  ballots.forEach((ballot, i) => {
    const seen = new Set<number>();
    for (const o of ballot) {
      if (!Number.isInteger(o) || o < 0 || o >= options.length)
        issues.push({ field: `ballots[${i}]`, message: `unknown option ${o}` });
      else if (seen.has(o))
        issues.push({ field: `ballots[${i}]`, message: `"${options[o]}" approved twice` });
      else seen.add(o);
    }
    if (rules.minChoices !== undefined && seen.size < rules.minChoices) {
      issues.push({
        field: `ballots[${i}]`,
        message: `approves ${seen.size} options, at least ${rules.minChoices} required`,
      });
    }
    if (rules.maxChoices !== undefined && seen.size > rules.maxChoices) {
      issues.push({
        field: `ballots[${i}]`,
        message: `approves ${seen.size} options, at most ${rules.maxChoices} allowed`,
      });
    }
    for (const o of seen) totals[o] = (totals[o] as number) + 1;
  });
  if (issues.length > 0)
    refuse(issues, 'approval ballots', 'each ballot approves distinct options, within the allowed number');
  const { winnerIndexes, outcome } = totalsOutcome(options, totals, ballots.length, rules.winners ?? 1);
  return {
    method: 'approval',
    ...outcome,
    quorum: checkQuorum(ballots.length, decision),
    winnersMeetShare:
      decision.shareNeeded === undefined ||
      winnerIndexes.every((w) => meetsShare(totals[w] as number, ballots.length, decision)),
  };
}

export interface ScoreRules {
  /** Lowest and highest score (default 0 and 5); an option left blank scores the lowest. */
  min?: number;
  max?: number;
  winners?: number;
}

export type ScoreResult = {
  method: 'score';
  ballots: number;
  tally: OptionTotal[];
  ranking: string[];
  winners: string[];
  tiedAtLastSeat: string[];
  quorum: QuorumOutcome;
};

/** Checks score ballots (one score or null per option) and returns them with blanks at the minimum. */
function scoreBallots(
  options: readonly string[],
  ballots: readonly (readonly (number | null)[])[],
  min: number,
  max: number,
): number[][] {
  const issues: FieldIssue[] = [];
  const out = ballots.map((ballot, i) => {
    if (ballot.length !== options.length) {
      issues.push({
        field: `ballots[${i}]`,
        message: `${ballot.length} scores for ${options.length} options`,
      });
    }
    return options.map((_, o) => {
      const s = ballot[o] ?? null;
      if (s === null) return min;
      if (!Number.isInteger(s) || s < min || s > max) {
        issues.push({
          field: `ballots[${i}][${o}]`,
          message: `score ${s} for "${options[o]}" is not a whole number from ${min} to ${max}`,
        });
      }
      return s;
    });
  });
  if (issues.length > 0)
    refuse(
      issues,
      'score ballots',
      `give each option a whole score from ${min} to ${max}, or leave it blank`,
    );
  return out;
}

function totalsOf(options: readonly string[], scores: number[][]): number[] {
  const totals = options.map(() => 0);
  for (const b of scores) b.forEach((s, o) => (totals[o] = (totals[o] as number) + s));
  return totals;
}

/** Score voting: the highest total wins. */
export function countScore(
  options: readonly string[],
  ballots: readonly (readonly (number | null)[])[],
  rules: ScoreRules = {},
  decision: DecisionOptions = {},
): ScoreResult {
  const min = rules.min ?? 0;
  const max = rules.max ?? 5;
  const totals = totalsOf(options, scoreBallots(options, ballots, min, max));
  const { outcome } = totalsOutcome(options, totals, ballots.length, rules.winners ?? 1);
  return { method: 'score', ...outcome, quorum: checkQuorum(ballots.length, decision) };
}

export type StarResult = {
  method: 'star';
  ballots: number;
  tally: OptionTotal[];
  /** The two finalists of the scoring round, and how ties for those places were broken. */
  finalists: string[];
  finalistsReason: string;
  runoff: { preferFirst: number; preferSecond: number; noPreference: number };
  /** The winner, or none when the runoff and every tie-break are even. */
  winner: string | null;
  reason: string;
  quorum: QuorumOutcome;
};

/** STAR: the two highest totals go to a runoff won by the one more ballots score higher. */
export function countStar(
  options: readonly string[],
  ballots: readonly (readonly (number | null)[])[],
  rules: Omit<ScoreRules, 'winners'> = {},
  decision: DecisionOptions = {},
): StarResult {
  const min = rules.min ?? 0;
  const max = rules.max ?? 5;
  if (options.length < 2) {
    throw new DomainError('invalid', 'STAR needs at least two options', {
      issues: [{ field: 'options', message: 'fewer than two' }],
    });
  }
  const scores = scoreBallots(options, ballots, min, max);
  const totals = totalsOf(options, scores);
  const topScores = options.map((_, o) => scores.filter((b) => b[o] === max).length);
  const prefers = (a: number, b: number): number =>
    scores.filter((s) => (s[a] as number) > (s[b] as number)).length;
  // Scoring-round ties: more total, then head-to-head between the tied, then more top scores, then option order.
  const order = options
    .map((_, i) => i)
    .sort(
      (a, b) =>
        (totals[b] as number) - (totals[a] as number) ||
        prefers(b, a) - prefers(a, b) ||
        (topScores[b] as number) - (topScores[a] as number) ||
        a - b,
    );
  const [first, second] = order as [number, number];
  const third = order[2];
  const tieForFinal = third !== undefined && totals[third] === totals[second];
  const preferFirst = prefers(first, second);
  const preferSecond = prefers(second, first);
  let winner: number | null;
  let reason: string;
  if (preferFirst !== preferSecond) {
    winner = preferFirst > preferSecond ? first : second;
    reason = 'preferred on more ballots in the runoff';
  } else if (totals[first] !== totals[second]) {
    winner = (totals[first] as number) > (totals[second] as number) ? first : second;
    reason = 'runoff even: higher total score';
  } else if (topScores[first] !== topScores[second]) {
    winner = (topScores[first] as number) > (topScores[second] as number) ? first : second;
    reason = `runoff and totals even: more ballots gave the top score (${max})`;
  } else {
    winner = null;
    reason = 'runoff, totals and top scores all even: a tie the count does not break';
  }
  return {
    method: 'star',
    ballots: ballots.length,
    tally: options.map((option, i) => ({
      option,
      total: totals[i] as number,
      perBallot: shareOf(totals[i] as number, ballots.length),
    })),
    finalists: [options[first] as string, options[second] as string],
    finalistsReason: tieForFinal
      ? 'the two highest totals; a tie for second place went to the head-to-head winner, then to more top scores'
      : 'the two highest totals',
    runoff: { preferFirst, preferSecond, noPreference: ballots.length - preferFirst - preferSecond },
    winner: winner === null ? null : (options[winner] as string),
    reason,
    quorum: checkQuorum(ballots.length, decision),
  };
}
