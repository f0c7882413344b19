// System operations: health and the audit trail.
import { z } from 'zod';
import { defineOperation } from '../core/operation';
import { scopesFor } from '../core/principal';
import type { AuditRepository } from '../audit/audit.repository';
import type { RunRegistry } from './runs';

declare module '../core/services' {
  interface Services {
    system: { storeKind: 'pglite' | 'postgres'; schemaVersion: string; startedAt: Date };
    audit: AuditRepository;
    runs: RunRegistry;
  }
}

export const systemOperations = [
  defineOperation({
    name: 'system.health',
    summary: 'Liveness: {"status":"ok"} with the database kind and schema version.',
    kind: 'query',
    input: z.object({}),
    output: z.object({
      status: z.literal('ok'),
      database: z.enum(['pglite', 'postgres']),
      schemaVersion: z.string(),
      uptimeSeconds: z.number(),
    }),
    access: { kind: 'public' },
    httpGet: '/api/health',
    handler: async (ctx) => ({
      status: 'ok' as const,
      database: ctx.services.system.storeKind,
      schemaVersion: ctx.services.system.schemaVersion,
      uptimeSeconds: (ctx.clock.now().getTime() - ctx.services.system.startedAt.getTime()) / 1000,
    }),
  }),
  defineOperation({
    name: 'system.run.cancel',
    summary:
      'Cancel a long run (e.g. a plan computation) that you started with a runId; false when it is not going.',
    kind: 'command',
    input: z.object({ runId: z.string().min(1).max(100) }),
    output: z.object({ cancelled: z.boolean() }),
    access: { kind: 'signed-in' },
    cli: { positional: ['runId'] },
    handler: async (ctx, i) => ({ cancelled: ctx.services.runs.cancel(i.runId, ctx.principal) }),
  }),
  defineOperation({
    name: 'audit.list',
    summary: 'The audit trail of changes on units the caller audits, newest first.',
    kind: 'query',
    input: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100) }),
    output: z.object({
      entries: z.array(
        z.object({
          id: z.number(),
          at: z.date(),
          actor: z.string(),
          operation: z.string(),
          unitId: z.string().nullable(),
          detail: z.record(z.string(), z.unknown()),
        }),
      ),
    }),
    access: { kind: 'signed-in' },
    handler: async (ctx, i) => {
      const scopes = scopesFor(ctx.principal, 'audit');
      if (scopes === 'everywhere')
        return { entries: await ctx.services.audit.forUnits('everywhere', i.limit) };
      const units = [];
      for (const s of scopes) {
        const id = s.split('/').filter(Boolean).pop();
        if (id)
          units.push(
            ...(await ctx.services.holarchy.subtree(id, { includeArchived: true })).map((u) => u.id),
          );
      }
      return { entries: await ctx.services.audit.forUnits(units, i.limit) };
    },
  }),
];
