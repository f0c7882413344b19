// Decisions on one proposal: consent (passes unless someone blocks, and a block needs a reason) and a
// plain proposal with agree, abstain, disagree and block, as Loomio offers.

import { DomainError, type FieldIssue } from '../../core/errors';
import {
  checkQuorum,
  describeShare,
  meetsShare,
  shareOf,
  type DecisionOptions,
  type QuorumOutcome,
} from './decision-rules';

export const CONSENT_POSITIONS = ['consent', 'stand-aside', 'block'] as const;
export type ConsentPosition = (typeof CONSENT_POSITIONS)[number];
export const PROPOSAL_POSITIONS = ['agree', 'abstain', 'disagree', 'block'] as const;
export type ProposalPosition = (typeof PROPOSAL_POSITIONS)[number];

export interface PositionBallot<P extends string> {
  position: P;
  reason?: string;
}

export type ConsentResult = {
  method: 'consent';
  ballots: number;
  counts: Record<ConsentPosition, number>;
  /** The reasons given for blocks (ballots stay anonymous). */
  blockReasons: string[];
  quorum: QuorumOutcome;
  passed: boolean;
  outcome: string;
};

export type ProposalResult = {
  method: 'proposal';
  ballots: number;
  counts: Record<ProposalPosition, number>;
  /** agree ÷ (agree + disagree), 4 places; abstentions count for the quorum only. */
  agreeShare: string;
  blockReasons: string[];
  quorum: QuorumOutcome;
  passed: boolean;
  outcome: string;
};

function positions<P extends string>(
  allowed: readonly P[],
  ballots: readonly PositionBallot<string>[],
  reasonRequiredFor: readonly string[],
): { counts: Record<P, number>; reasons: string[] } {
  const issues: FieldIssue[] = [];
  const counts = Object.fromEntries(allowed.map((p) => [p, 0])) as Record<P, number>;
  const reasons: string[] = [];
  ballots.forEach((b, i) => {
    if (!(allowed as readonly string[]).includes(b.position)) {
      issues.push({
        field: `ballots[${i}].position`,
        message: `"${b.position}" is not one of ${allowed.join(', ')}`,
      });
      return;
    }
    const reason = b.reason?.trim() ?? '';
    if (reasonRequiredFor.includes(b.position) && reason === '') {
      issues.push({ field: `ballots[${i}].reason`, message: `a ${b.position} needs a reason` });
      return;
    }
    counts[b.position as P]++;
    if (b.position === 'block' && reason !== '') reasons.push(reason);
  });
  if (issues.length > 0) {
    throw new DomainError('invalid', `${issues[0]?.field}: ${issues[0]?.message}`, {
      issues,
      fix: `each ballot takes one of ${allowed.join(', ')}; a block states its reason`,
    });
  }
  return { counts, reasons };
}

/** Consent: passes when the quorum is met and nobody blocks. */
export function countConsent(
  ballots: readonly PositionBallot<string>[],
  decision: DecisionOptions = {},
): ConsentResult {
  const { counts, reasons } = positions(CONSENT_POSITIONS, ballots, ['block']);
  const quorum = checkQuorum(ballots.length, decision);
  const passed = quorum.met && counts.block === 0;
  return {
    method: 'consent',
    ballots: ballots.length,
    counts,
    blockReasons: reasons,
    quorum,
    passed,
    outcome: !quorum.met
      ? `no quorum: ${quorum.ballots} of ${quorum.required} ballots needed`
      : counts.block > 0
        ? `blocked by ${counts.block}`
        : 'passed: nobody blocked',
  };
}

/**
 * A proposal: passes when the quorum is met, agree ÷ (agree + disagree) meets the share needed
 * (more than half by default), and, if blocks veto (the default), nobody blocks.
 */
export function countProposal(
  ballots: readonly PositionBallot<string>[],
  decision: DecisionOptions = {},
  blockVetoes = true,
): ProposalResult {
  const { counts, reasons } = positions(PROPOSAL_POSITIONS, ballots, []);
  const quorum = checkQuorum(ballots.length, decision);
  const against = counts.disagree + (blockVetoes ? 0 : counts.block);
  const decisive = counts.agree + against;
  const enough = meetsShare(counts.agree, decisive, decision);
  const blocked = blockVetoes && counts.block > 0;
  const passed = quorum.met && enough && !blocked;
  return {
    method: 'proposal',
    ballots: ballots.length,
    counts,
    agreeShare: shareOf(counts.agree, decisive),
    blockReasons: reasons,
    quorum,
    passed,
    outcome: !quorum.met
      ? `no quorum: ${quorum.ballots} of ${quorum.required} ballots needed`
      : blocked
        ? `blocked by ${counts.block}`
        : enough
          ? `passed: ${counts.agree} of ${decisive} decisive votes agree (${describeShare(decision)} needed)`
          : `not passed: ${counts.agree} of ${decisive} decisive votes agree (${describeShare(decision)} needed)`,
  };
}
