// A ballot as a voter fills it in, checked against its vote and turned into the marks that are stored and counted.
import { z } from 'zod';
import { DomainError } from '../core/errors';
import {
  CONSENT_POSITIONS,
  PROPOSAL_POSITIONS,
  RANKED_TYPES,
  type Candidate,
  type Method,
} from './participation';

/** What a voter sends: the field that matches the vote's ballot type. */
export const ballotInputSchema = z
  .object({
    approve: z.array(z.string()).max(1000).optional().describe('approval: the candidate ids approved'),
    scores: z
      .record(z.string(), z.number().int())
      .optional()
      .describe('score and STAR: a score per candidate id (missing ones score 0)'),
    ranking: z
      .array(z.string())
      .max(1000)
      .optional()
      .describe('ranked types: candidate ids, first choice first'),
    position: z
      .enum([...PROPOSAL_POSITIONS, 'consent', 'stand-aside'])
      .optional()
      .describe('consent: consent, stand-aside or block; proposal: agree, abstain, disagree or block'),
    reason: z.string().trim().max(5000).optional().describe('why; required with a block'),
  })
  .describe('one ballot; fill the field of the vote\u2019s ballot type');
export type BallotInput = z.infer<typeof ballotInputSchema>;

/**
 * The marks stored and counted. Ranked marks keep one list per rank, because a paper ballot can leave a
 * rank blank (skipped) or mark two candidates at one rank (an overvote); online ballots never do.
 */
export type Marks =
  | { approve: string[] }
  | { scores: Record<string, number> }
  | { ranking: string[][] }
  | { position: string; reason?: string };

function refuse(field: string, message: string, fix: string): DomainError {
  return new DomainError('invalid', `${field}: ${message}`, { issues: [{ field, message }], fix });
}

const FIELD_OF: Record<Method['type'], keyof BallotInput> = {
  approval: 'approve',
  score: 'scores',
  star: 'scores',
  irv: 'ranking',
  stv: 'ranking',
  meek: 'ranking',
  schulze: 'ranking',
  consent: 'position',
  proposal: 'position',
};

/** Checks a ballot against the vote and returns its marks; every refusal names the field and the fix. */
export function marksOf(method: Method, candidates: Candidate[], ballot: BallotInput): Marks {
  const expected = FIELD_OF[method.type];
  for (const key of ['approve', 'scores', 'ranking'] as const) {
    if (key !== expected && ballot[key] !== undefined) {
      throw refuse(`ballot.${key}`, `this is a ${method.type} vote`, `send ballot.${expected} instead`);
    }
  }
  const ids = new Set(candidates.map((c) => c.id));
  const known = candidates.map((c) => c.id).join(', ');
  const checkCandidate = (field: string, id: string) => {
    if (!ids.has(id)) throw refuse(field, `"${id}" is not a candidate of this vote`, `use one of: ${known}`);
  };
  if (method.type === 'approval') {
    const approve = ballot.approve;
    if (approve === undefined)
      throw refuse('ballot.approve', 'missing', 'list the candidate ids you approve');
    const seen = new Set<string>();
    approve.forEach((id, i) => {
      checkCandidate(`ballot.approve[${i}]`, id);
      if (seen.has(id)) throw refuse(`ballot.approve[${i}]`, `"${id}" is listed twice`, 'list each once');
      seen.add(id);
    });
    if (approve.length < method.min) {
      throw refuse(
        'ballot.approve',
        `approve at least ${method.min}`,
        `this vote needs ${method.min} or more`,
      );
    }
    if (method.max !== null && approve.length > method.max) {
      throw refuse(
        'ballot.approve',
        `approve at most ${method.max}`,
        `remove ${approve.length - method.max}`,
      );
    }
    return { approve: [...approve].sort() };
  }
  if (method.type === 'score' || method.type === 'star') {
    const given = ballot.scores;
    if (given === undefined) throw refuse('ballot.scores', 'missing', 'give a score per candidate id');
    const scores: Record<string, number> = {};
    for (const c of candidates) scores[c.id] = 0;
    for (const [id, score] of Object.entries(given)) {
      checkCandidate(`ballot.scores.${id}`, id);
      if (score < 0 || score > method.maxScore) {
        throw refuse(
          `ballot.scores.${id}`,
          `${score} is outside 0–${method.maxScore}`,
          'give a whole score in range',
        );
      }
      scores[id] = score;
    }
    return { scores };
  }
  if (RANKED_TYPES.includes(method.type)) {
    const ranking = ballot.ranking;
    if (ranking === undefined || ranking.length === 0) {
      throw refuse('ballot.ranking', 'rank at least one candidate', 'list candidate ids, first choice first');
    }
    const rankOf = new Map<string, number>();
    ranking.forEach((id, i) => {
      checkCandidate(`ballot.ranking[${i}]`, id);
      const earlier = rankOf.get(id);
      if (earlier !== undefined) {
        throw refuse(
          `ballot.ranking[${i}]`,
          `"${id}" is already ranked ${earlier + 1}`,
          'rank each candidate once; leave out the ones you do not rank',
        );
      }
      rankOf.set(id, i);
    });
    return { ranking: ranking.map((id) => [id]) };
  }
  const positions: readonly string[] = method.type === 'consent' ? CONSENT_POSITIONS : PROPOSAL_POSITIONS;
  const position = ballot.position;
  if (position === undefined || !positions.includes(position)) {
    throw refuse('ballot.position', `give one of: ${positions.join(', ')}`, `this is a ${method.type} vote`);
  }
  if (position === 'block' && (ballot.reason ?? '') === '') {
    throw refuse(
      'ballot.reason',
      'a block needs a reason',
      'say what would have to change for you to consent',
    );
  }
  return ballot.reason ? { position, reason: ballot.reason } : { position };
}
