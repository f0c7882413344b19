// Calls one operation on behalf of a principal: the shared path of the HTTP, CLI and NATS edges.
import type { BaseLogger as Logger } from 'pino';
import { admit, runAdmitted } from '../core/execute';
import { storableCopy } from '../core/input-guard';
import type { AnyOperation, OpContext, Progress } from '../core/operation';
import type { Principal } from '../core/principal';
import type { App } from './container';
import type { RunRegistry } from './runs';
import { actorKey } from '../core/principal';

export interface InvokeOptions {
  principal: Principal;
  token?: string | undefined;
  log: Logger;
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
}

// A ballot and its receipt never enter the trail: the trail says who voted, never what (participation).
const SECRET_FIELDS = new Set([
  'password',
  'currentPassword',
  'newPassword',
  'code',
  'token',
  'content',
  'ballot',
  'receipt',
]);

/** Bulk values (reading batches, scenario lists) are summarised: the trail records who did what, not the data. */
const MAX_AUDITED_ITEMS = 20;

// Items judged one by one (readings) may hold text PostgreSQL cannot store: the trail keeps a clean copy.
function auditDetail(input: unknown): Record<string, unknown> {
  if (typeof input !== 'object' || input === null) return {};
  const detail = Object.fromEntries(
    Object.entries(input).map(([k, v]) => {
      if (SECRET_FIELDS.has(k)) return [k, '(omitted)'];
      if (Array.isArray(v) && v.length > MAX_AUDITED_ITEMS) return [k, `(${v.length} items)`];
      return [k, v];
    }),
  );
  return storableCopy(detail) as Record<string, unknown>;
}

function runIdOf(input: unknown): string | undefined {
  const id = (input as { runId?: unknown } | null)?.runId;
  return typeof id === 'string' && id.length > 0 ? id : undefined;
}

export async function invoke(
  app: App,
  op: AnyOperation,
  input: unknown,
  options: InvokeOptions,
): Promise<unknown> {
  const admitted = await admit(op, input, { principal: options.principal, services: app.services });
  // A long run called with a runId can be followed (/api/runs/<runId>/events) and cancelled; it starts only
  // once access is granted, so a refused call never takes a runId, and it is bound to who may follow it.
  const runId = op.longRun ? runIdOf(admitted.input) : undefined;
  const runs = app.services.runs as RunRegistry | undefined;
  const run =
    runId === undefined || !runs
      ? undefined
      : runs.start(runId, {
          owner: options.principal,
          permission: op.access.kind === 'unit' ? op.access.permission : null,
          unitPaths: admitted.unitPaths,
        });
  const signals = [options.signal, run?.signal].filter((s): s is AbortSignal => s !== undefined);
  const ctx: OpContext = {
    principal: options.principal,
    ...(options.token === undefined ? {} : { token: options.token }),
    services: app.services,
    clock: app.clock,
    log: options.log,
    signal: signals.length > 0 ? AbortSignal.any(signals) : new AbortController().signal,
    progress: (p) => {
      options.onProgress?.(p);
      run?.onProgress(p);
    },
  };
  let result: unknown;
  try {
    result = await runAdmitted(op, admitted, ctx);
  } catch (e) {
    if (runId !== undefined && runs) {
      const cancelled = ctx.signal.aborted;
      runs.finish(runId, { type: cancelled ? 'cancelled' : 'failed', message: (e as Error).message });
    }
    throw e;
  }
  if (runId !== undefined && runs) runs.finish(runId, { type: 'done', fraction: 1, message: 'done' });
  if (op.kind === 'command' && op.needsStore !== false) {
    const detail = auditDetail(input);
    const unitId =
      typeof detail.unitId === 'string' ? detail.unitId : typeof detail.id === 'string' ? detail.id : null;
    await app.services.audit.record({
      at: app.clock.now(),
      actor: actorKey(options.principal),
      operation: op.name,
      unitId: unitId?.startsWith('u_') ? unitId : null,
      detail,
    });
  }
  return result;
}
