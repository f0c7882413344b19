// The rounds of a ranked count as a chart (one group of bars per round) and as sentences, from the stored tally.

import type { ChartOption } from './EChart';

export interface PlainAction {
  candidate: string;
  reason: string;
  transfers: Record<string, string>;
}

export interface PlainRound {
  round: number;
  tally: { candidate: string; votes: string }[];
  threshold: string;
  active: string;
  inactive: Record<string, string>;
  elected: PlainAction[];
  eliminated: PlainAction[];
}

/** The rounds of a tally, when it is a round-by-round count. */
export function roundsOf(tally: Record<string, unknown>): PlainRound[] | null {
  return tally.method === 'rcv' && Array.isArray(tally.rounds) ? (tally.rounds as PlainRound[]) : null;
}

const INACTIVE_WORDS: Record<string, string> = {
  overvotes: 'overvotes',
  skippedRankings: 'skipped rankings',
  exhaustedChoices: 'no choices left',
  repeatedRankings: 'repeated rankings',
  finalRoundSurplus: 'final-round surplus',
  noRankings: 'no rankings',
};

function inactiveTotal(r: PlainRound): number {
  return Object.values(r.inactive).reduce((s, v) => s + Number(v), 0);
}

export function roundsOption(rounds: PlainRound[], name: (id: string) => string): ChartOption {
  const candidates = [...new Set(rounds.flatMap((r) => r.tally.map((t) => t.candidate)))];
  return {
    animation: false,
    grid: { left: 56, right: 16, top: 56, bottom: 40 },
    legend: { top: 0, data: [...candidates.map(name), 'Inactive ballots'] },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'category', data: rounds.map((r) => `Round ${r.round}`) },
    yAxis: { type: 'value', name: 'votes' },
    series: [
      ...candidates.map((c) => ({
        name: name(c),
        type: 'bar',
        data: rounds.map((r) => {
          const t = r.tally.find((x) => x.candidate === c);
          return t ? Number(t.votes) : null;
        }),
      })),
      {
        name: 'Inactive ballots',
        type: 'bar',
        itemStyle: { color: '#8c959f' },
        data: rounds.map(inactiveTotal),
      },
    ],
  };
}

/** Each round in one sentence: the tally, who was elected or eliminated and why, and what stopped counting. */
export function roundSentences(rounds: PlainRound[], name: (id: string) => string): string[] {
  return rounds.map((r) => {
    const tally = [...r.tally]
      .sort((a, b) => Number(b.votes) - Number(a.votes))
      .map((t) => `${name(t.candidate)} ${t.votes}`)
      .join(', ');
    const acts = [
      ...r.elected.map((a) => `${name(a.candidate)} elected (${a.reason})`),
      ...r.eliminated.map((a) => `${name(a.candidate)} eliminated (${a.reason})`),
    ];
    const inactive = Object.entries(r.inactive)
      .filter(([, v]) => Number(v) > 0)
      .map(([k, v]) => `${v} ${INACTIVE_WORDS[k] ?? k}`);
    return `Round ${r.round}: ${tally}; threshold ${r.threshold}.${acts.length ? ` ${acts.join('; ')}.` : ''}${
      inactive.length ? ` Inactive: ${inactive.join(', ')}.` : ''
    }`;
  });
}
