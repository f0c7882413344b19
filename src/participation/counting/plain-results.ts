// Counts as plain JSON (decimals as exact strings): OGAS's own result shape, and Meek in RCTab's shape.

import { javaCompare } from './java-random';
import type { MeekResult } from './meek';
import type { RctabReport, RctabReportHeader } from './rcv/rctab-report';
import type { RcvTabulation } from './rcv/result';

export type PlainRcvResult = {
  method: 'rcv';
  winners: string[];
  rounds: {
    round: number;
    tally: { candidate: string; votes: string }[];
    threshold: string;
    active: string;
    inactive: Record<string, string>;
    residualSurplus: string;
    elected: { candidate: string; reason: string; transfers: Record<string, string> }[];
    eliminated: { candidate: string; reason: string; transfers: Record<string, string> }[];
  }[];
  tieBreaks: RcvTabulation['tieBreaks'];
  totalBallots: string;
  undervotes: number;
  numCandidates: number;
  numWinners: number;
};

function strings(record: Record<string, { toString(): string }>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, v.toString()]));
}

/** The count with every round, decision, reason and transfer. */
export function plainRcvResult(count: RcvTabulation): PlainRcvResult {
  const action = (
    a: RcvTabulation['rounds'][number]['elected'][number],
  ): PlainRcvResult['rounds'][number]['elected'][number] => ({
    candidate: a.candidate,
    reason: a.reason,
    transfers: strings(a.transfers),
  });
  return {
    method: 'rcv',
    winners: count.winners,
    rounds: count.rounds.map((r) => ({
      round: r.round,
      tally: r.tally.map((t) => ({ candidate: t.candidate, votes: t.votes.toString() })),
      threshold: r.threshold.toString(),
      active: r.active.toString(),
      inactive: strings(r.inactive),
      residualSurplus: r.residualSurplus.toString(),
      elected: r.elected.map(action),
      eliminated: r.eliminated.map(action),
    })),
    tieBreaks: count.tieBreaks,
    totalBallots: count.totalBallots.toString(),
    undervotes: count.undervotes,
    numCandidates: count.numCandidates,
    numWinners: count.numWinners,
  };
}

/** A Meek count with decimals as plain strings ("0.000000000", never "0E-9"). */
export function plainMeekResult(result: MeekResult) {
  return {
    ...result,
    rounds: result.rounds.map((r) => ({
      ...r,
      tally: r.tally.map((t) => ({
        ...t,
        votes: t.votes.toPlainString(),
        keepFactor: t.keepFactor.toPlainString(),
      })),
      quota: r.quota.toPlainString(),
      excess: r.excess.toPlainString(),
    })),
  };
}

/** A Meek count in the layout of RCTab's report (quota as threshold, plus each round's keep factors). */
export function meekReport(
  result: MeekResult,
  header: RctabReportHeader,
  numCandidates: number,
): RctabReport {
  const sorted = (entries: [string, string][]): Record<string, string> =>
    Object.fromEntries(entries.sort((a, b) => javaCompare(a[0], b[0])));
  const last = result.rounds[result.rounds.length - 1];
  return {
    config: {
      contest: header.contest,
      date: header.date,
      generatedBy: header.generatedBy,
      jurisdiction: header.jurisdiction,
      office: header.office,
    },
    jsonFormatVersion: '1',
    results: result.rounds.map((r) => ({
      inactiveBallots: { exhaustedChoices: r.excess.toPlainString() },
      keepFactors: sorted(r.tally.map((t) => [t.candidate, t.keepFactor.toPlainString()])),
      round: r.round,
      tally: sorted(r.tally.map((t) => [t.candidate, t.votes.toPlainString()])),
      tallyResults: [
        ...[...r.elected]
          .sort((a, b) => javaCompare(a.candidate, b.candidate))
          .map((e) => ({ elected: e.candidate, transfers: {} })),
        ...r.excluded.map((e) => ({ eliminated: e.candidate, transfers: {} })),
      ],
      threshold: r.quota.toPlainString(),
    })),
    summary: {
      finalThreshold: last ? last.quota.toPlainString() : '0',
      numCandidates,
      numWinners: result.winners.length,
      totalNumBallots: String(result.totalBallots),
      undervotes: 0,
    },
  };
}
