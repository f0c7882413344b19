// From a count to a recorded result: the engine's verdicts on quorum, share and winners, as the vote's outcome.
import type { Marks } from './ballot';
import type { Candidate, Method, Quorum, ShareNeeded } from './participation';
import type { Outcome, VoteResult } from './vote-record';

export interface CountInput {
  method: Method;
  candidates: Candidate[];
  ballots: Marks[];
  quorum: Quorum;
  shareNeeded: ShareNeeded | null;
  electorateSize: number;
}

/** What the counting engine answers, in the shape the vote needs. */
export interface CountOutput {
  /** Candidate ids elected, in the order they were elected; empty for a proposal. */
  winners: string[];
  /** Candidates tied for the last place to fill, when the rule does not break the tie. */
  tied: string[];
  quorum: { needed: number; met: boolean };
  /** The share check, when the method has one (proposals always; others when shareNeeded is set). */
  share: { part: number; whole: number; met: boolean } | null;
  /** Consent and proposal: whether it passed, and how many blocked. */
  passed?: boolean;
  blocks?: number;
  /** The engine's own report: rounds, tallies, transfers, exhausted ballots by reason. */
  tally: Record<string, unknown>;
  /** The engine's one-line verdict, when it gives one. */
  verdict?: string;
}

/** The counting engine, behind one function so that the vote never depends on how it counts. */
export type Counter = (input: CountInput) => CountOutput;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The result recorded at closing; pure, so a recount from the published ballots reproduces it exactly. */
export function outcomeOf(input: CountInput & { paperBallots: number }, count: CountOutput): VoteResult {
  const names = new Map(input.candidates.map((c) => [c.id, c.name]));
  const named = (ids: string[]) => ids.map((id) => ({ id, name: names.get(id) ?? id }));
  const shareNeeded = input.shareNeeded ?? { share: '1/2', rule: 'more-than' as const };
  const base = {
    ballots: input.ballots.length,
    paperBallots: input.paperBallots,
    electorateSize: input.electorateSize,
    quorum: count.quorum,
    share: count.share === null ? null : { needed: shareNeeded, ...count.share },
    tally: count.tally,
  };
  const { outcome, explanation } = decide(input, count, named);
  return { ...base, outcome, winners: outcome === 'elected' ? named(count.winners) : [], explanation };
}

function decide(
  input: CountInput,
  count: CountOutput,
  named: (ids: string[]) => Candidate[],
): { outcome: Outcome; explanation: string } {
  if (!count.quorum.met) {
    return {
      outcome: 'no-quorum',
      explanation: `No quorum: ${plural(input.ballots.length, 'ballot')} cast, ${count.quorum.needed} needed.`,
    };
  }
  if (input.method.type === 'consent' || input.method.type === 'proposal') {
    const verdict = count.verdict ? ` (${count.verdict})` : '';
    if (count.passed) return { outcome: 'adopted', explanation: `Adopted${verdict}.` };
    if ((count.blocks ?? 0) > 0) return { outcome: 'blocked', explanation: `Blocked${verdict}.` };
    return { outcome: 'rejected', explanation: `Rejected${verdict}.` };
  }
  if (count.tied.length > 0) {
    return {
      outcome: 'tied',
      explanation: `Tied: ${named(count.tied)
        .map((c) => c.name)
        .join(', ')}; the rule does not break this tie, so no one is elected to the last place.`,
    };
  }
  const winners = named(count.winners);
  if (winners.length === 0) return { outcome: 'no-winner', explanation: 'No candidate was elected.' };
  if (count.share !== null && !count.share.met) {
    return {
      outcome: 'no-winner',
      explanation: `${winners[0]?.name ?? ''} led with ${count.share.part} of ${count.share.whole} votes, short of the share needed.`,
    };
  }
  return { outcome: 'elected', explanation: `Elected: ${winners.map((w) => w.name).join(', ')}.` };
}
