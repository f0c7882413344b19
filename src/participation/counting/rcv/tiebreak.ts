// Breaking a tie for last place (or for first, when only one winner may be elected per round),
// by the tie-break modes of RCTab.

import { DomainError } from '../../../core/errors';
import type { Decimal } from '../decimal';
import { javaCompare, javaHashSetOrder, type JavaRandom } from '../java-random';
import type { TiebreakMode } from './rules';

export interface TieBreakContext {
  mode: TiebreakMode;
  /** Present when the mode needs one: seeded from rules.randomSeed. */
  random: JavaRandom | undefined;
  /** Candidate order consulted by 'useCandidateOrder' and 'generatePermutation'. */
  permutation: readonly string[];
  /** Tally of an earlier round, by candidate name. */
  tallyOfRound: (round: number) => ReadonlyMap<string, Decimal>;
}

export interface TieBreakOutcome {
  selected: string;
  explanation: string;
}

function interactive(tied: readonly string[], round: number, selectingWinner: boolean): DomainError {
  return new DomainError(
    'infeasible',
    `round ${round}: ${tied.join(', ')} are tied ${selectingWinner ? 'for election' : 'for elimination'}, and tiebreakMode asks an operator to choose; a count from files cannot ask`,
    {
      issues: [
        {
          field: 'rules.tiebreakMode',
          message: 'stopCountingAndAsk and previousRoundCountsThenAsk need a person',
        },
      ],
      fix: 'decide the rule for ties before counting: use useCandidateOrder, random (with randomSeed), previousRoundCountsThenRandom or generatePermutation',
    },
  );
}

function byRandom(tied: readonly string[], random: JavaRandom | undefined): string {
  if (!random) {
    throw new DomainError('invalid', 'a random tie-break needs rules.randomSeed', {
      issues: [{ field: 'rules.randomSeed', message: 'required by this tiebreakMode' }],
      fix: 'give an integer randomSeed',
    });
  }
  // RCTab: floor(nextDouble() × n) over the tied candidates in alphabetical order.
  return tied[Math.floor(random.nextDouble() * tied.length)] as string;
}

function byPermutation(
  tied: readonly string[],
  permutation: readonly string[],
  selectingWinner: boolean,
): string {
  const set = new Set(tied);
  const order = selectingWinner ? permutation : [...permutation].reverse();
  const found = order.find((c) => set.has(c));
  if (found === undefined) {
    throw new DomainError('invalid', `none of ${tied.join(', ')} is in the tie-break order`, {
      fix: 'list every candidate in the configuration',
    });
  }
  return found;
}

/** Chooses one of `tied` (who all have `votes` in `round`) to elect or to eliminate. */
export function breakTie(
  selectingWinner: boolean,
  tiedCandidates: readonly string[],
  round: number,
  ctx: TieBreakContext,
): TieBreakOutcome {
  const tied = [...tiedCandidates].sort(javaCompare);
  switch (ctx.mode) {
    case 'stopCountingAndAsk':
      throw interactive(tied, round, selectingWinner);
    case 'random':
      return { selected: byRandom(tied, ctx.random), explanation: 'The candidate was randomly selected.' };
    case 'useCandidateOrder':
    case 'generatePermutation':
      return {
        selected: byPermutation(tied, ctx.permutation, selectingWinner),
        explanation: `The selected candidate appeared ${selectingWinner ? 'earliest' : 'latest'} in the tie-breaking permutation list.`,
      };
    case 'previousRoundCountsThenRandom':
    case 'previousRoundCountsThenAsk': {
      let contention = tied;
      for (let r = round - 1; r > 0; r--) {
        const tally = ctx.tallyOfRound(r);
        let best: Decimal | undefined;
        for (const c of contention) {
          const v = tally.get(c);
          if (v === undefined) continue;
          if (best === undefined || (selectingWinner ? v.compare(best) > 0 : v.compare(best) < 0)) best = v;
        }
        if (best === undefined) break;
        const target = best;
        // RCTab rebuilds the list through a HashSet each round; its order matters to the random fallback.
        contention = javaHashSetOrder(contention).filter((c) => tally.get(c)?.equals(target));
        if (contention.length === 1) {
          const selected = contention[0] as string;
          return {
            selected,
            explanation: `${selected} had the ${selectingWinner ? 'most' : 'fewest'} votes (${target}) in round ${r}.`,
          };
        }
      }
      if (ctx.mode === 'previousRoundCountsThenAsk') throw interactive(contention, round, selectingWinner);
      return {
        selected: byRandom(contention, ctx.random),
        explanation: `Comparing previous round counts still resulted in a tie among ${contention.join(', ')}, so the candidate was randomly selected.`,
      };
    }
  }
}
