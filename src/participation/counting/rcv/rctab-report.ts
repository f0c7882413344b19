// RCTab's detailed JSON report ("summary.json") from a count, key for key, so that a program can
// compare OGAS's count with RCTab's.

import type { Decimal } from '../decimal';
import { javaCompare } from '../java-random';
import type { RcvAction, RcvTabulation } from './result';

export interface RctabReportHeader {
  contest: string;
  date: string | null;
  jurisdiction: string | null;
  office: string | null;
  generatedBy: string;
}

export interface RctabReport {
  config: Record<string, string | null>;
  jsonFormatVersion: string;
  results: {
    inactiveBallots: Record<string, string>;
    round: number;
    tally: Record<string, string>;
    tallyResults: Record<string, unknown>[];
    threshold: string;
    /** Meek counts only: each candidate's keep factor after the round. */
    keepFactors?: Record<string, string>;
  }[];
  summary: {
    finalThreshold: string;
    numCandidates: number;
    numWinners: number;
    totalNumBallots: string;
    undervotes: number;
  };
}

/** Object with keys in Java's string order, as RCTab's JSON writer sorts them. */
function sorted(entries: [string, Decimal | string][]): Record<string, string> {
  return Object.fromEntries(
    entries
      .sort((a, b) => javaCompare(a[0], b[0]))
      .map(([k, v]) => [k, typeof v === 'string' ? v : v.toString()]),
  );
}

function actions(kind: 'elected' | 'eliminated', list: RcvAction[]): Record<string, unknown>[] {
  return [...list]
    .sort((a, b) => javaCompare(a.candidate, b.candidate))
    .map((a) => ({ [kind]: a.candidate, transfers: sorted(Object.entries(a.transfers)) }));
}

export function rctabReport(count: RcvTabulation, header: RctabReportHeader): RctabReport {
  const last = count.rounds[count.rounds.length - 1];
  return {
    config: {
      contest: header.contest,
      date: header.date,
      generatedBy: header.generatedBy,
      jurisdiction: header.jurisdiction,
      office: header.office,
    },
    jsonFormatVersion: '1',
    results: count.rounds.map((r) => {
      const inactive: [string, Decimal][] = [
        ['exhaustedChoices', r.inactive.exhaustedChoices],
        ['overvotes', r.inactive.overvotes],
        ['repeatedRankings', r.inactive.repeatedRankings],
        ['skippedRankings', r.inactive.skippedRankings],
      ];
      if (count.usesSurpluses && r === last)
        inactive.push(['finalRoundSurplus', r.inactive.finalRoundSurplus]);
      return {
        inactiveBallots: sorted(inactive),
        round: r.round,
        tally: sorted(r.tally.map((t) => [t.candidate, t.votes])),
        tallyResults: [...actions('elected', r.elected), ...actions('eliminated', r.eliminated)],
        threshold: r.threshold.toString(),
      };
    }),
    summary: {
      finalThreshold: last ? last.threshold.toString() : '0',
      numCandidates: count.numCandidates,
      numWinners: count.numWinners,
      totalNumBallots: count.totalBallots.toString(),
      undervotes: count.undervotes,
    },
  };
}
