// Runs one operation for any edge: validate the input, check access centrally, call the handler.
import type { z } from 'zod';
import { authorize } from './access';
import { DomainError } from './errors';
import { runHeavy } from './heavy';
import { boundedParse, summarise } from './bounded-parse';
import { guardInput } from './input-guard';
import type { AnyOperation, OpContext } from './operation';

export function parseInput<T extends z.ZodType>(schema: T, raw: unknown, what = 'input'): z.output<T> {
  const parsed = boundedParse(schema, raw);
  if (!parsed.success) {
    throw new DomainError('invalid', `invalid ${what}: ${summarise(parsed)}`, {
      issues: parsed.issues,
      fix: 'correct the named fields; the API reference lists every field and its type',
    });
  }
  return parsed.data;
}

/** An input that passed validation and the access check, with the paths of the units the check covered. */
export interface Admitted {
  input: unknown;
  unitPaths: string[];
}

/**
 * Guards, validates the input and checks access centrally: the gate before any handler runs. The guard
 * comes first, so no schema or handler ever sees text PostgreSQL cannot store or a value nested too deep.
 */
export async function admit(
  op: AnyOperation,
  raw: unknown,
  ctx: Pick<OpContext, 'principal' | 'services'>,
): Promise<Admitted> {
  guardInput(raw ?? {}, op.judgedByItem ? { judgedByItem: op.judgedByItem } : {});
  const input: unknown = parseInput(op.input, raw ?? {});
  const unitPaths = await authorize(ctx.principal, op.access, input, ctx.services.access);
  return { input, unitPaths };
}

/** Runs the handler on an admitted input, unless the caller has already cancelled. */
export async function runAdmitted(op: AnyOperation, admitted: Admitted, ctx: OpContext): Promise<unknown> {
  if (ctx.signal.aborted) throw new DomainError('cancelled', 'the caller cancelled the operation');
  if (!op.heavy) return op.handler(ctx, admitted.input);
  return runHeavy(op.heavy, admitted.input, ctx.principal, ctx.services, () =>
    op.handler(ctx, admitted.input),
  );
}

export async function executeOperation(op: AnyOperation, raw: unknown, ctx: OpContext): Promise<unknown> {
  return runAdmitted(op, await admit(op, raw, ctx), ctx);
}
