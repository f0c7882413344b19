// Ballots of budgets and priorities votes, over the votes of Participation I: the limit a ballot must keep
// (the pool for approval, the points for cumulative), and the marks as the utilities the budget rules count.
import { DomainError } from '../core/errors';
import type { Marks } from './ballot';
import type { PbBallot } from './counting/pb-rules';
import type { RankedScore } from './budget';

/**
 * What a budget's vote carries in its decision payload, so that the vote service refuses a ballot over the
 * limit whichever edge it comes from (budget.vote or vote.cast).
 */
export type BallotLimit =
  | { kind: 'cost'; max: number; costs: Record<string, number>; unit: string }
  | { kind: 'points'; max: number };

export function ballotLimitOf(payload: Record<string, unknown>): BallotLimit | null {
  const limit = payload.ballotLimit as BallotLimit | undefined;
  return limit && typeof limit === 'object' && (limit.kind === 'cost' || limit.kind === 'points')
    ? limit
    : null;
}

const round = (x: number) => Math.round(x * 100) / 100;

/** Refuses a ballot over its limit, naming the field and how far over it is. */
export function checkBallotLimit(limit: BallotLimit | null, marks: Marks): void {
  if (limit === null) return;
  if (limit.kind === 'cost' && 'approve' in marks) {
    const total = marks.approve.reduce((s, id) => s + (limit.costs[id] ?? 0), 0);
    if (total > limit.max * (1 + 1e-9)) {
      throw new DomainError(
        'invalid',
        `ballot.approve: the projects approved cost ${round(total)} ${limit.unit}, over the budget of ${round(limit.max)}`,
        {
          issues: [
            {
              field: 'ballot.approve',
              message: `costs ${round(total)} ${limit.unit}, ${round(total - limit.max)} over the budget of ${round(limit.max)}`,
            },
          ],
          fix: 'approve projects whose costs add up to at most the budget',
          data: { total, budget: limit.max },
        },
      );
    }
  }
  if (limit.kind === 'points' && 'scores' in marks) {
    const total = Object.values(marks.scores).reduce((s, x) => s + x, 0);
    if (total > limit.max) {
      throw new DomainError('invalid', `ballot.scores: ${total} points given, ${limit.max} to give`, {
        issues: [
          { field: 'ballot.scores', message: `${total - limit.max} points over the ${limit.max} you have` },
        ],
        fix: `distribute at most ${limit.max} points in all`,
        data: { total, points: limit.max },
      });
    }
  }
}

/**
 * Refuses a file of paper ballots when any of them is over the limit, naming each such ballot ("count.json
 * ballot 3: ballot.approve …"), so the whole file is refused (all or none) and the counters know which sheets
 * to set aside as spoiled.
 */
export function checkPaperBallotLimits(
  limit: BallotLimit | null,
  marks: Marks[],
  records: string[],
  fileName: string,
): void {
  if (limit === null) return;
  const issues: { field: string; message: string }[] = [];
  marks.forEach((m, i) => {
    try {
      checkBallotLimit(limit, m);
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      const where = records[i] ?? `${fileName} ballot ${i + 1}`;
      for (const issue of e.issues)
        issues.push({ field: `${where}: ${issue.field}`, message: issue.message });
    }
  });
  if (issues.length > 0)
    throw new DomainError(
      'invalid',
      `${issues[0]!.field}: ${issues[0]!.message}${issues.length > 1 ? ` (and ${issues.length - 1} more over the limit)` : ''}`,
      {
        issues,
        fix: 'set the named ballots aside as spoiled (they are over the budget) and import the file again',
        data: { overLimit: issues.length },
      },
    );
}

/**
 * Marks as utilities: an approval counts 1, points count as given, a ranking counts by `ranked`:
 * 'pabutools' (Pabulib's tool, Additive_Borda_Sat): the k-th of the L ranks a voter marks scores L − k, so the
 * last ranked scores 0 and supports nothing; 'borda': the k-th scores n − k + 1 over the n candidates.
 * Ranks marked twice (paper overvotes) count for none of them (they still hold their place).
 */
export function utilitiesOf(marks: Marks, candidates: number, ranked: RankedScore = 'borda'): PbBallot {
  const out: PbBallot = {};
  if ('approve' in marks) for (const id of marks.approve) out[id] = 1;
  else if ('scores' in marks) {
    for (const [id, s] of Object.entries(marks.scores)) if (s > 0) out[id] = s;
  } else if ('ranking' in marks) {
    const length = marks.ranking.length;
    marks.ranking.forEach((rank, k) => {
      const score = ranked === 'pabutools' ? length - k - 1 : candidates - k;
      if (rank.length === 1 && out[rank[0]!] === undefined && score > 0) out[rank[0]!] = score;
    });
  }
  return out;
}
