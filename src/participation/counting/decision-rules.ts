// Quorum and the share of votes needed, the two options every result may carry; exact fractions.

import { DomainError } from '../../core/errors';
import { Decimal } from './decimal';

/** A fraction such as 1/2 or 2/3. */
export interface Share {
  numerator: number;
  denominator: number;
}

export interface DecisionOptions {
  /** The result stands only if this many ballots were cast, or this share of the electorate voted. */
  quorum?: { ballots: number } | { share: Share; electorate: number };
  /** Share of the decisive votes needed (default: more than half). */
  shareNeeded?: { share: Share; orMore?: boolean };
}

export interface QuorumOutcome {
  met: boolean;
  ballots: number;
  /** Ballots needed (fractional quorums are rounded up). */
  required: number;
}

function checkShare(share: Share, field: string): void {
  const { numerator: a, denominator: b } = share;
  if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b) || a < 0 || b <= 0 || a > b) {
    throw new DomainError('invalid', `${field}: a share is a fraction from 0/1 to 1/1, got ${a}/${b}`, {
      issues: [{ field, message: `invalid share ${a}/${b}` }],
      fix: 'give numerator and denominator as whole numbers, numerator at most denominator',
    });
  }
}

export function checkQuorum(ballots: number, options: DecisionOptions): QuorumOutcome {
  const q = options.quorum;
  if (!q) return { met: true, ballots, required: 0 };
  if ('ballots' in q) {
    if (!Number.isSafeInteger(q.ballots) || q.ballots < 0) {
      throw new DomainError('invalid', 'quorum.ballots must be a whole number', {
        issues: [{ field: 'quorum.ballots', message: `got ${q.ballots}` }],
      });
    }
    return { met: ballots >= q.ballots, ballots, required: q.ballots };
  }
  checkShare(q.share, 'quorum.share');
  if (!Number.isSafeInteger(q.electorate) || q.electorate < 0) {
    throw new DomainError('invalid', 'quorum.electorate must be a whole number', {
      issues: [{ field: 'quorum.electorate', message: `got ${q.electorate}` }],
    });
  }
  const product = BigInt(q.electorate) * BigInt(q.share.numerator);
  const den = BigInt(q.share.denominator);
  const required = Number((product + den - 1n) / den);
  return { met: ballots >= required, ballots, required };
}

/** Whether `part` out of `whole` meets the share needed (more than half by default); 0 of 0 never does. */
export function meetsShare(part: number, whole: number, options: DecisionOptions): boolean {
  if (whole === 0) return false;
  const needed = options.shareNeeded ?? { share: { numerator: 1, denominator: 2 }, orMore: false };
  checkShare(needed.share, 'shareNeeded.share');
  const left = BigInt(part) * BigInt(needed.share.denominator);
  const right = BigInt(whole) * BigInt(needed.share.numerator);
  return needed.orMore ? left >= right : left > right;
}

/** part/whole as a decimal with 4 places, rounded down (for display; decisions use meetsShare). */
export function shareOf(part: number, whole: number): string {
  if (whole === 0) return '0';
  return Decimal.of(part).divide(Decimal.of(whole), 4, 'down').toString();
}

export function describeShare(options: DecisionOptions): string {
  const needed = options.shareNeeded ?? { share: { numerator: 1, denominator: 2 }, orMore: false };
  return `${needed.orMore ? 'at least' : 'more than'} ${needed.share.numerator}/${needed.share.denominator}`;
}
