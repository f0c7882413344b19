// Cyberstride operations: alerts and their lifecycle, escalation, deadlines, and detector evaluation.
import { z } from 'zod';
import { actorName } from '../core/actor-name';
import { defineOperation } from '../core/operation';
import { inSubtree, scopesFor, type Principal } from '../core/principal';
import { ALERT_STATUSES, alertEventSchema, alertSchema, type AlertStatus } from './alert';
import type { AlertService } from './alert.service';
import { evaluationOperations } from './evaluation.operations';
import type { MonitorService } from './monitor.service';
import type { NotificationBus } from './notifications';

declare module '../core/services' {
  interface Services {
    alerts: AlertService;
    monitor: MonitorService;
    notifications: NotificationBus;
  }
}

function actorOf(p: Principal): string {
  if (p.kind === 'person') return `person:${p.personId}`;
  if (p.kind === 'machine') return `machine:${p.tokenId}`;
  return p.kind;
}

const byAlert = (permission: 'read' | 'manage') => ({
  kind: 'unit' as const,
  permission,
  unit: (i: { id: string }, r: { unitOf(kind: string, id: string): Promise<string | null> }) =>
    r.unitOf('alert', i.id),
});
const STATUS_FILTERS = {
  open: ['open'],
  unresolved: ['open', 'acknowledged'],
  acknowledged: ['acknowledged'],
  resolved: ['resolved'],
  all: [...ALERT_STATUSES],
} as const;
const deadlinesSchema = z.object({
  defaultSeconds: z.number().positive().describe('deadline at every depth without its own'),
  byDepth: z
    .record(z.string().regex(/^\d+$/, 'a depth: 0 is the root'), z.number().positive())
    .describe('seconds an alert may wait unacknowledged at each holarchy depth before it climbs'),
});
const rootAdmin = { kind: 'unit' as const, permission: 'admin' as const, unit: () => null };

export const cyberstrideOperations = [
  defineOperation({
    name: 'alert.list',
    summary: 'Alerts on the units the caller may read (optionally one subtree), newest first.',
    kind: 'query',
    input: z.object({
      unitId: z.string().min(1).optional().describe('only alerts on this unit or below it'),
      status: z.enum(['open', 'unresolved', 'acknowledged', 'resolved', 'all']).default('unresolved'),
      limit: z.coerce.number().int().min(1).max(1000).default(100),
    }),
    output: z.object({ alerts: z.array(alertSchema) }),
    access: { kind: 'signed-in' },
    handler: async (ctx, i) => {
      const scopes = scopesFor(ctx.principal, 'read');
      let paths: string[] | 'everywhere' = scopes;
      if (i.unitId !== undefined) {
        const unit = await ctx.services.holarchy.get(i.unitId);
        const allowed = scopes === 'everywhere' || scopes.some((s) => inSubtree(unit.path, s));
        paths = allowed ? [unit.path] : scopes.filter((s) => inSubtree(s, unit.path));
      }
      const statuses = [...STATUS_FILTERS[i.status]] as AlertStatus[];
      return { alerts: await ctx.services.alerts.list(paths, statuses, i.limit) };
    },
  }),
  defineOperation({
    name: 'alert.get',
    summary: 'One alert with its evidence and its timeline (who or what moved it, when, at which level).',
    kind: 'query',
    input: z.object({ id: z.string().min(1) }),
    output: alertSchema.extend({
      timeline: z.array(
        alertEventSchema.extend({
          actorName: z.string().describe('who or what acted, in words (a person by name)'),
          levelName: z.string().nullable().describe('the name of the unit at that level'),
        }),
      ),
    }),
    access: byAlert('read'),
    cli: { positional: ['id'] },
    handler: async (ctx, i) => {
      const alert = await ctx.services.alerts.get(i.id);
      const names = new Map<string, string | null>();
      for (const e of alert.timeline)
        if (!names.has(e.level.unitId))
          names.set(e.level.unitId, (await ctx.services.access.unitName?.(e.level.unitId)) ?? null);
      const timeline = await Promise.all(
        alert.timeline.map(async (e) => ({
          ...e,
          actorName: await actorName(e.actor, ctx.services.auth),
          levelName: names.get(e.level.unitId) ?? null,
        })),
      );
      return { ...alert, timeline };
    },
  }),
  defineOperation({
    name: 'alert.acknowledge',
    summary: 'Acknowledge an open alert: someone is on it, so it stops climbing the holarchy.',
    kind: 'command',
    input: z.object({ id: z.string().min(1), note: z.string().max(2000).optional() }),
    output: alertSchema,
    access: byAlert('manage'),
    cli: { positional: ['id'] },
    handler: (ctx, i) => ctx.services.alerts.acknowledge(i.id, actorOf(ctx.principal), i.note),
  }),
  defineOperation({
    name: 'alert.resolve',
    summary: 'Resolve an alert: it closes, and the next signal of its series opens a new one.',
    kind: 'command',
    input: z.object({ id: z.string().min(1), note: z.string().max(2000).optional() }),
    output: alertSchema,
    access: byAlert('manage'),
    cli: { positional: ['id'] },
    handler: (ctx, i) => ctx.services.alerts.resolve(i.id, actorOf(ctx.principal), i.note),
  }),
  defineOperation({
    name: 'cyberstride.escalate',
    summary:
      'Climb every unacknowledged alert whose deadline has passed to the parent unit (the server runs it on a timer).',
    kind: 'command',
    input: z.object({}),
    output: z.object({ escalated: z.number().int(), steps: z.number().int() }),
    access: rootAdmin,
    handler: (ctx) => ctx.services.alerts.escalate(),
  }),
  defineOperation({
    name: 'escalation.get',
    summary: 'The escalation deadline at each holarchy depth.',
    kind: 'query',
    input: z.object({}),
    output: deadlinesSchema,
    access: { kind: 'signed-in' },
    handler: (ctx) => ctx.services.alerts.getDeadlines(),
  }),
  defineOperation({
    name: 'escalation.set',
    summary: 'Set the escalation deadlines per holarchy depth (federation admins).',
    kind: 'command',
    input: deadlinesSchema,
    output: deadlinesSchema,
    access: rootAdmin,
    handler: (ctx, i) => ctx.services.alerts.setDeadlines(i),
  }),
  ...evaluationOperations,
];
