// Runs one operation for any edge: validate the input, check access centrally, call the handler.
import type { z } from 'zod';
import { authorize } from './access';
import { DomainError, type FieldIssue } from './errors';
import type { AnyOperation, OpContext } from './operation';

/** zod issues → our field issues, with the path written as "a.b[2].c". */
export function fieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({
    field: formatPath(issue.path) || '(body)',
    message: issue.message,
  }));
}

function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`))
    .join('');
}

export function parseInput<T extends z.ZodType>(schema: T, raw: unknown, what = 'input'): z.output<T> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issues = fieldIssues(parsed.error);
    const summary = issues.map((i) => `${i.field}: ${i.message}`).join('; ');
    throw new DomainError('invalid', `invalid ${what}: ${summary}`, {
      issues,
      fix: 'correct the named fields; the API reference lists every field and its type',
    });
  }
  return parsed.data;
}

export async function executeOperation(op: AnyOperation, raw: unknown, ctx: OpContext): Promise<unknown> {
  const input: unknown = parseInput(op.input, raw ?? {});
  await authorize(ctx.principal, op.access, input, ctx.services.access);
  if (ctx.signal.aborted) throw new DomainError('cancelled', 'the caller cancelled the operation');
  return op.handler(ctx, input);
}
