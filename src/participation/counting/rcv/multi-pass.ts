// Multi-pass IRV (RCTab's "multiPassIrv"): one instant runoff per seat, each without the earlier winners.

import type { RcvContest, RcvTabulation, SliceKind } from './result';
import type { RcvRules } from './rules';
import { RcvCount, tabulateRcv } from './tabulate';

/**
 * Multi-pass IRV: one instant-runoff count per seat, each excluding the winners of the passes before
 * (RCTab's "multiPassIrv"). Other modes give a single pass.
 */
export function tabulateRcvPasses(
  contest: RcvContest,
  rules: RcvRules,
  options: { slices?: readonly SliceKind[] } = {},
): RcvTabulation[] {
  if (rules.winnerElectionMode !== 'multiPassIrv') return [tabulateRcv(contest, rules, options)];
  const passes: RcvTabulation[] = [];
  const excluded = new Set<string>();
  for (let seat = 0; seat < rules.numberOfWinners; seat++) {
    const candidates = contest.candidates.map((c) => ({
      ...c,
      excluded: c.excluded || excluded.has(c.name),
    }));
    const pass = new RcvCount(
      { ...contest, candidates },
      { ...rules, numberOfWinners: 1 },
      options.slices,
    ).run();
    passes.push(pass);
    const winner = pass.winners[0];
    if (winner === undefined) break;
    excluded.add(winner);
  }
  return passes;
}
