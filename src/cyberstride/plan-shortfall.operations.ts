// Plan-shortfall operations: the tolerance a unit sets for falling below its plan, and the sweep that judges
// the queued checks (the server runs it on the escalation timer).
import { z } from 'zod';
import { defineOperation } from '../core/operation';
import { actorKey } from '../core/principal';
import {
  DEFAULT_SHORTFALL_TOLERANCE,
  DEFAULT_SHORTFALL_WINDOW,
  MAX_SHORTFALL_WINDOW,
} from './plan-shortfall';
import type { PlanShortfallService } from './plan-shortfall.service';

declare module '../core/services' {
  interface Services {
    shortfalls: PlanShortfallService;
  }
}

type Lookup = { unitOf(kind: string, id: string): Promise<string | null> };

const toleranceField = z
  .number()
  .min(0, 'a fraction from 0 up to but not including 1: 0.05 is five per cent')
  .lt(1, 'a fraction below 1: 0.05 is five per cent')
  .describe('how far below the plan an actual may fall without an alert, as a fraction (0.05 = 5 %)');
const windowField = z
  .number()
  .int('a whole number of readings')
  .min(1, 'at least one reading')
  .max(MAX_SHORTFALL_WINDOW, `at most ${MAX_SHORTFALL_WINDOW} readings`)
  .describe('how many of the newest readings are averaged into the actual (1: the newest reading alone)');

const settingSchema = z.object({
  unitId: z.string(),
  indicatorId: z
    .string()
    .nullable()
    .describe("null: the unit's setting for all its indicators and those below"),
  tolerance: z.number(),
  window: z.number().int(),
  setBy: z.string(),
  setAt: z.date(),
});

const rowOut = (r: {
  unitId: string;
  indicatorId: string;
  tolerance: number;
  window: number;
  setBy: string;
  setAt: Date;
}) => ({ ...r, indicatorId: r.indicatorId === '' ? null : r.indicatorId });

export const planShortfallOperations = [
  defineOperation({
    name: 'alert.shortfall-settings',
    summary:
      "A unit's plan-shortfall tolerances (its own and its indicators'), and the default that applies where none is set.",
    kind: 'query',
    input: z.object({ unitId: z.string().min(1) }),
    output: z.object({
      default: z.object({ tolerance: z.number(), window: z.number().int() }),
      settings: z.array(settingSchema),
    }),
    // Public on a public unit, as its plan progress is: the tolerance is the rule that judges that progress,
    // and a unit's page shows it to whoever may open the page.
    access: { kind: 'unit', permission: 'read', unit: (i) => i.unitId, publicRead: true },
    cli: { positional: ['unitId'] },
    handler: async (ctx, i) => {
      await ctx.services.holarchy.get(i.unitId);
      return {
        default: { tolerance: DEFAULT_SHORTFALL_TOLERANCE, window: DEFAULT_SHORTFALL_WINDOW },
        settings: (await ctx.services.shortfalls.settingsOfUnit(i.unitId)).map(rowOut),
      };
    },
  }),
  defineOperation({
    name: 'alert.shortfall-setting',
    summary: 'The plan-shortfall tolerance that applies to one indicator, and where it comes from.',
    kind: 'query',
    input: z.object({ indicatorId: z.string().min(1) }),
    output: z.object({
      indicatorId: z.string(),
      tolerance: z.number(),
      window: z.number().int(),
      source: z.object({
        kind: z.enum(['indicator', 'unit', 'default']),
        unitId: z.string().nullable(),
      }),
    }),
    access: {
      kind: 'unit',
      permission: 'read',
      unit: (i: { indicatorId: string }, r: Lookup) => r.unitOf('indicator', i.indicatorId),
      publicRead: true,
    },
    cli: { positional: ['indicatorId'] },
    handler: (ctx, i) => ctx.services.shortfalls.settingFor(i.indicatorId),
  }),
  defineOperation({
    name: 'alert.shortfall-settings.set',
    summary:
      "Set how far below the plan a unit's actuals may fall before a plan-shortfall alert opens: for the unit (and the units below it) or for one of its indicators (its managers).",
    kind: 'command',
    input: z.object({
      unitId: z.string().min(1),
      indicatorId: z
        .string()
        .min(1)
        .optional()
        .describe("one of the unit's indicators; leave it out to set the unit's tolerance"),
      tolerance: toleranceField,
      window: windowField.default(DEFAULT_SHORTFALL_WINDOW),
    }),
    output: settingSchema,
    access: { kind: 'unit', permission: 'manage', unit: (i) => i.unitId },
    cli: { positional: ['unitId'] },
    handler: async (ctx, i) => {
      await ctx.services.holarchy.get(i.unitId);
      const row = await ctx.services.shortfalls.setSetting(
        { unitId: i.unitId, indicatorId: i.indicatorId ?? null, tolerance: i.tolerance, window: i.window },
        actorKey(ctx.principal),
      );
      return rowOut(row);
    },
  }),
  defineOperation({
    name: 'cyberstride.shortfalls.sweep',
    summary:
      'Judge every queued plan-shortfall check (a reading arrived, a plan was adopted, a tolerance changed) against the plan in force (the server runs it on a timer).',
    kind: 'command',
    input: z.object({}),
    output: z.object({
      checked: z.number().int(),
      opened: z.number().int(),
      updated: z.number().int(),
      resolved: z.number().int(),
      failed: z.array(z.object({ indicatorId: z.string(), error: z.string() })),
    }),
    access: { kind: 'unit', permission: 'admin', unit: () => null },
    handler: (ctx) => ctx.services.shortfalls.sweep(),
  }),
];
