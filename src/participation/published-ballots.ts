// The published ballots of a closed vote: a file anyone can recount with no database and search for a receipt.
import { z } from 'zod';
import { DomainError } from '../core/errors';
import { parseInput } from '../core/execute';
import type { Marks } from './ballot';
import { candidateSchema, methodSchema, quorumSchema, shareNeededSchema } from './participation';
import { normaliseReceipt } from './receipt';
import { outcomeOf, type Counter } from './vote-outcome';
import { voteResultSchema, type VoteRecord, type VoteResult } from './vote-record';
import type { StoredBallot } from './vote.repository';
import { parserFault } from '../core/parse-error';

export const PUBLISHED_FORMAT = 'ogas-ballots/1';

const marksSchema = z.union([
  z.object({ approve: z.array(z.string()) }).strict(),
  z.object({ scores: z.record(z.string(), z.number().int()) }).strict(),
  z.object({ ranking: z.array(z.array(z.string())) }).strict(),
  z.object({ position: z.string(), reason: z.string().optional() }).strict(),
]);

export const publishedBallotsSchema = z.object({
  format: z.literal(PUBLISHED_FORMAT),
  vote: z.object({
    id: z.string(),
    unitId: z.string(),
    unitName: z.string(),
    title: z.string(),
    method: methodSchema,
    candidates: z.array(candidateSchema),
    quorum: quorumSchema,
    shareNeeded: shareNeededSchema.nullable(),
    anonymous: z.boolean(),
    electorateSize: z.number().int(),
    opensAt: z.coerce.date(),
    closesAt: z.coerce.date(),
    closedAt: z.coerce.date(),
  }),
  ballots: z.array(
    z.object({
      receipt: z.string(),
      source: z.enum(['online', 'paper']),
      record: z.string().nullable().describe('the cast-vote record of a paper ballot'),
      marks: marksSchema,
      signedBy: z.string().optional().describe('named votes only: who cast it'),
    }),
  ),
  result: voteResultSchema,
});
export type PublishedBallots = z.infer<typeof publishedBallotsSchema>;

/** Ballots come in receipt order: receipts are random, so the order says nothing about who cast what, or when. */
export function publishedBallots(v: VoteRecord, unitName: string, ballots: StoredBallot[]): PublishedBallots {
  if (!v.result || !v.closedAt) throw new Error(`vote ${v.id} is not closed`);
  return {
    format: PUBLISHED_FORMAT,
    vote: {
      id: v.id,
      unitId: v.unitId,
      unitName,
      title: v.title,
      method: v.method,
      candidates: v.candidates,
      quorum: v.quorum,
      shareNeeded: v.shareNeeded,
      anonymous: v.anonymous,
      electorateSize: v.result.electorateSize,
      opensAt: v.opensAt,
      closesAt: v.closesAt,
      closedAt: v.closedAt,
    },
    ballots: [...ballots]
      .sort((a, b) => (a.receipt < b.receipt ? -1 : a.receipt > b.receipt ? 1 : 0))
      .map((b) => ({
        receipt: b.receipt,
        source: b.source,
        record: b.record,
        marks: b.marks,
        ...(v.anonymous || b.signedBy === null ? {} : { signedBy: b.signedBy }),
      })),
    result: v.result,
  };
}

/** Reads a published file (JSON text), naming the field at fault when it is not one. */
export function readPublished(text: string): PublishedBallots {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new DomainError('invalid', `file: not JSON (${parserFault(e)})`, {
      issues: [{ field: 'file', message: 'not JSON' }],
      fix: 'give the file that `ogas vote ballots <vote-id> --json` wrote',
    });
  }
  return parseInput(publishedBallotsSchema, raw, 'published ballots');
}

export interface RecountReport {
  matches: boolean;
  /** What differs between the published result and the recount, in words. */
  differences: string[];
  recounted: VoteResult;
}

/** Counts the published ballots again and compares every recorded figure with the published result. */
export function recount(file: PublishedBallots, counter: Counter): RecountReport {
  const v = file.vote;
  const input = {
    method: v.method,
    candidates: v.candidates,
    ballots: file.ballots.map((b) => b.marks as Marks),
    quorum: v.quorum,
    shareNeeded: v.shareNeeded,
    electorateSize: v.electorateSize,
  };
  const recounted = outcomeOf(
    { ...input, paperBallots: file.ballots.filter((b) => b.source === 'paper').length },
    counter(input),
  );
  const differences: string[] = [];
  const published = file.result;
  const compare = (what: string, a: unknown, b: unknown) => {
    const [x, y] = [canonical(a), canonical(b)];
    if (x !== y) differences.push(`${what}: published ${x}, recounted ${y}`);
  };
  compare('ballots', published.ballots, recounted.ballots);
  compare('quorum', published.quorum, recounted.quorum);
  compare('share', published.share, recounted.share);
  compare('outcome', published.outcome, recounted.outcome);
  compare('winners', published.winners, recounted.winners);
  compare('tally', published.tally, recounted.tally);
  return { matches: differences.length === 0, differences, recounted };
}

/** JSON with every object's keys sorted: the database and the file may order keys differently. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** Finds the ballot with this receipt; it was counted if it is in the published file (all of them are). */
export function verifyReceipt(
  file: PublishedBallots,
  receipt: string,
): { found: boolean; receipt: string; ballot: PublishedBallots['ballots'][number] | null; ballots: number } {
  const code = normaliseReceipt(receipt);
  const ballot = file.ballots.find((b) => b.receipt === code) ?? null;
  return { found: ballot !== null, receipt: code, ballot, ballots: file.ballots.length };
}
