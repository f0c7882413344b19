// Which actions the caller may take on given units, so that the Opsroom shows a button only to those who may
// press it. Each answer comes from the one central check (core/access.ts authorize) on the operation's own
// declared access, with the unit in question: the client never re-implements the rules.
import { z } from 'zod';
import { authorize } from '../core/access';
import { isDomainError } from '../core/errors';
import type { AnyOperation } from '../core/operation';
import { holds } from '../core/principal';

/** The unit-scoped actions the Opsroom offers; each is checked with its operation's declared permission. */
export const UNIT_ACTIONS = [
  'alert.acknowledge',
  'alert.resolve',
  'alert.shortfall-settings.set',
  'federation.alert.acknowledge',
  'planning.compute',
  'planning.adopt',
  'indicator.create',
  'readings.submit',
  'audit.list',
  'vote.open',
  'question.answer',
  'question.hide',
  'assembly.open',
  'assembly.close',
  'assembly.minutes.set',
  'assembly.item.vote',
  'budget.close',
  'budget.plan',
  'priorities.close',
  // Acknowledging, trialling and deciding a proposal share this access (manage where it stands).
  'improvement.decide',
  'library.record.publish',
  'improvement.spread',
] as const;

export function abilitiesOperation(operations: () => readonly AnyOperation[]): AnyOperation {
  return {
    name: 'access.abilities',
    summary:
      'What the caller may do on each of the given units (actions by operation name) and whether it may see all their alerts.',
    kind: 'query',
    input: z.object({
      unitIds: z.array(z.string().min(1).max(100)).min(1).max(200).describe('the units to ask about'),
    }),
    output: z.object({
      units: z.array(
        z.object({
          unitId: z.string(),
          may: z.array(z.enum(UNIT_ACTIONS)).describe('the actions the central access check allows here'),
          alertsVisible: z
            .boolean()
            .describe('true when every alert on the unit and below it is visible to the caller'),
        }),
      ),
    }),
    access: { kind: 'public' },
    handler: async (ctx, i: { unitIds: string[] }) => {
      const all = operations();
      const units = await Promise.all(
        [...new Set(i.unitIds)].map(async (unitId) => {
          const path = await ctx.services.access.unitPath(unitId);
          if (path === null) return { unitId, may: [], alertsVisible: false };
          const may: (typeof UNIT_ACTIONS)[number][] = [];
          for (const name of UNIT_ACTIONS) {
            const op = all.find((o) => o.name === name);
            if (!op || op.access.kind !== 'unit') continue;
            try {
              await authorize(ctx.principal, { ...op.access, unit: () => unitId }, {}, ctx.services.access);
              may.push(name);
            } catch (e) {
              if (!isDomainError(e)) throw e;
            }
          }
          // alert.list shows signed-in people the alerts under their read grants (not the public's reading of
          // public units), so a unit's alerts are all visible exactly when read holds on the unit itself.
          const alertsVisible = ctx.principal.kind !== 'anonymous' && holds(ctx.principal, 'read', path);
          return { unitId, may, alertsVisible };
        }),
      );
      return { units };
    },
  };
}
