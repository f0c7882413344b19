// From a count to a recorded result: turnout against the quorum, the share check, and the outcome in words.
import type { Marks } from './ballot';
import {
  meetsShare,
  quorumNeeded,
  type Candidate,
  type Method,
  type Quorum,
  type ShareNeeded,
} from './participation';
import type { Outcome, VoteResult } from './vote-record';

export interface CountInput {
  method: Method;
  candidates: Candidate[];
  ballots: Marks[];
}

/** What the counting engine answers, in the shape the vote needs. */
export interface CountOutput {
  /** Candidate ids elected, in the order they were elected; empty for a proposal. */
  winners: string[];
  /** Proposal and consent: ballots per position. */
  positions?: Record<string, number>;
  /** Single-winner instant runoff and approval: the winner's votes and the votes that counted, for the share. */
  finalShare?: { part: number; whole: number };
  /** The engine's own report: rounds, tallies, transfers, exhausted ballots by reason. */
  tally: Record<string, unknown>;
}

/** The counting engine, behind one function so that the vote never depends on how it counts. */
export type Counter = (input: CountInput) => CountOutput;

export interface OutcomeInput {
  method: Method;
  candidates: Candidate[];
  quorum: Quorum;
  shareNeeded: ShareNeeded | null;
  electorateSize: number;
  ballots: number;
  paperBallots: number;
  count: CountOutput;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The result recorded at closing; pure, so a recount from the published ballots reproduces it exactly. */
export function outcomeOf(i: OutcomeInput): VoteResult {
  const needed = quorumNeeded(i.quorum, i.electorateSize);
  const quorumMet = i.ballots >= needed;
  const names = new Map(i.candidates.map((c) => [c.id, c.name]));
  const winners = i.count.winners.map((id) => ({ id, name: names.get(id) ?? id }));
  const base = {
    ballots: i.ballots,
    paperBallots: i.paperBallots,
    electorateSize: i.electorateSize,
    quorum: { needed, met: quorumMet },
    tally: i.count.tally,
  };
  const share = shareCheck(i);
  if (!quorumMet) {
    return {
      ...base,
      share,
      outcome: 'no-quorum',
      winners: [],
      explanation: `No quorum: ${plural(i.ballots, 'ballot')} cast, ${needed} needed.`,
    };
  }
  const { outcome, explanation } = decide(i, share, winners);
  return { ...base, share, outcome, winners: outcome === 'elected' ? winners : [], explanation };
}

function shareCheck(i: OutcomeInput): VoteResult['share'] {
  if (i.method.type === 'proposal') {
    const p = i.count.positions ?? {};
    const part = p.agree ?? 0;
    const whole = part + (p.disagree ?? 0) + (p.block ?? 0);
    const needed = i.shareNeeded ?? { share: '1/2', rule: 'more-than' as const };
    return { needed, part, whole, met: meetsShare(part, whole, needed) };
  }
  if (i.shareNeeded === null || i.count.finalShare === undefined) return null;
  const { part, whole } = i.count.finalShare;
  return { needed: i.shareNeeded, part, whole, met: meetsShare(part, whole, i.shareNeeded) };
}

function decide(
  i: OutcomeInput,
  share: VoteResult['share'],
  winners: Candidate[],
): { outcome: Outcome; explanation: string } {
  const p = i.count.positions ?? {};
  if (i.method.type === 'consent') {
    const blocks = p.block ?? 0;
    return blocks > 0
      ? {
          outcome: 'blocked',
          explanation: `Blocked by ${plural(blocks, 'ballot')}; a consent decision needs none.`,
        }
      : { outcome: 'adopted', explanation: `Adopted: ${plural(p.consent ?? 0, 'consent')} and no block.` };
  }
  if (i.method.type === 'proposal') {
    const s = share as NonNullable<VoteResult['share']>;
    const words = `${p.agree ?? 0} agree, ${p.disagree ?? 0} disagree, ${p.block ?? 0} block, ${p.abstain ?? 0} abstain`;
    const rule = `${s.needed.rule === 'more-than' ? 'more than' : 'at least'} ${s.needed.share} needed`;
    return s.met
      ? { outcome: 'adopted', explanation: `Adopted (${words}; ${rule}).` }
      : { outcome: 'rejected', explanation: `Rejected (${words}; ${rule}).` };
  }
  if (winners.length === 0) return { outcome: 'no-winner', explanation: 'No candidate was elected.' };
  if (share !== null && !share.met) {
    return {
      outcome: 'no-winner',
      explanation: `${winners[0]?.name ?? ''} led with ${share.part} of ${share.whole} votes, short of ${share.needed.rule === 'more-than' ? 'more than' : 'at least'} ${share.needed.share}.`,
    };
  }
  return { outcome: 'elected', explanation: `Elected: ${winners.map((w) => w.name).join(', ')}.` };
}
