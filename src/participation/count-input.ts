// Ballots written with option names (a JSON document anyone can read) turned into what the counts take;
// every refusal names the ballot and the place in it.

import { z } from 'zod';
import { DomainError, type FieldIssue } from '../core/errors';
import { zodFieldIssues } from '../core/field-path';
import { RankedBallotsBuilder, type RankedBallots } from './counting/ranked-ballots';

function refuse(issues: FieldIssue[], fix: string): never {
  throw new DomainError('invalid', `${issues[0]?.field}: ${issues[0]?.message}`, { issues, fix });
}

function parse<T extends z.ZodType>(schema: T, value: unknown, fix: string): z.output<T> {
  const r = schema.safeParse(value);
  if (!r.success) refuse(zodFieldIssues(r.error, ['ballots']), fix);
  return r.data;
}

export function optionIndex(
  options: readonly string[],
): (name: string, field: string, issues: FieldIssue[]) => number | undefined {
  const index = new Map(options.map((o, i) => [o, i]));
  return (name, field, issues) => {
    const i = index.get(name);
    if (i === undefined) issues.push({ field, message: `unknown option "${name}"` });
    return i;
  };
}

/** Approval ballots: each a list of approved option names. */
export function approvalBallots(options: readonly string[], ballots: unknown): number[][] {
  const list = parse(z.array(z.array(z.string())), ballots, 'each ballot is a list of approved option names');
  const issues: FieldIssue[] = [];
  const resolve = optionIndex(options);
  const out = list.map((b, i) => b.flatMap((name, j) => resolve(name, `ballots[${i}][${j}]`, issues) ?? []));
  if (issues.length > 0) refuse(issues, `options are: ${options.join(', ')}`);
  return out;
}

/** Score ballots: each an object from option name to score (options left out score the minimum). */
export function scoreBallots(options: readonly string[], ballots: unknown): (number | null)[][] {
  const list = parse(
    z.array(z.record(z.string(), z.number().nullable())),
    ballots,
    'each ballot maps option names to scores, e.g. {"Alice": 5, "Bob": 2}',
  );
  const issues: FieldIssue[] = [];
  const resolve = optionIndex(options);
  const out = list.map((b, i) => {
    const scores: (number | null)[] = options.map(() => null);
    for (const [name, score] of Object.entries(b)) {
      const o = resolve(name, `ballots[${i}].${name}`, issues);
      if (o !== undefined) scores[o] = score;
    }
    return scores;
  });
  if (issues.length > 0) refuse(issues, `options are: ${options.join(', ')}`);
  return out;
}

const rankSchema = z.union([z.string(), z.array(z.string()).min(1), z.null()]);

/**
 * Ranked ballots: each a list of ranks, first choice first; a rank is a name, a list of names
 * (equal ranking, or an overvote in ranked-choice counts) or null (a skipped rank).
 * A name may appear once per ballot: a repeated rank is refused.
 */
export function rankedBallotsOf(options: readonly string[], ballots: unknown): RankedBallots {
  const list = parse(
    z.array(z.array(rankSchema)),
    ballots,
    'each ballot lists its ranks, first choice first: ["Alice", "Bob"], with null for a skipped rank',
  );
  const issues: FieldIssue[] = [];
  const resolve = optionIndex(options);
  const builder = new RankedBallotsBuilder();
  list.forEach((b, i) => {
    const entries: [number, number][] = [];
    const rankOf = new Map<number, number>();
    b.forEach((rank, r) => {
      if (rank === null) return;
      const names = typeof rank === 'string' ? [rank] : rank;
      names.forEach((name, k) => {
        const field = typeof rank === 'string' ? `ballots[${i}][${r}]` : `ballots[${i}][${r}][${k}]`;
        const o = resolve(name, field, issues);
        if (o === undefined) return;
        const earlier = rankOf.get(o);
        if (earlier !== undefined) {
          issues.push({
            field,
            message: `"${name}" is ranked twice (ranks ${earlier} and ${r + 1}): a repeated rank`,
          });
          return;
        }
        rankOf.set(o, r + 1);
        entries.push([r + 1, o]);
      });
    });
    builder.add(entries);
  });
  if (issues.length > 0) refuse(issues, `rank each option at most once; options are: ${options.join(', ')}`);
  return builder.build();
}

/** Consent or proposal ballots: a position and, for a block, its reason. */
export function positionBallots(ballots: unknown): { position: string; reason?: string }[] {
  return parse(
    z.array(z.object({ position: z.string(), reason: z.string().max(10_000).optional() })),
    ballots,
    'each ballot is {"position": "...", "reason": "..."}',
  );
}
