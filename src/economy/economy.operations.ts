// Economic model operations: import, read, export, targets.
import { z } from 'zod';
import { DomainError } from '../core/errors';
import { defineOperation } from '../core/operation';
import { scopesFor } from '../core/principal';
import { IMPORT_FORMATS, type ImportFormat } from './import/import-result';
import { demandTargetSchema, economyModelSchema } from './import/economy-schema';
import type { EconomyService } from './economy.service';
import { fileBytes, fileContentSchema } from './file-content';

declare module '../core/services' {
  interface Services {
    economy: EconomyService;
  }
}

const FORMAT_ALIASES: Record<string, ImportFormat | 'auto'> = {
  auto: 'auto',
  json: 'ogas-json',
  csv: 'ogas-csv',
  iot: 'iot-csv',
  wiod: 'wiod-xlsx',
  matrix: 'matrix-json',
  ...Object.fromEntries(IMPORT_FORMATS.map((f) => [f, f])),
};

export const importFormatSchema = z
  .string()
  .refine((f) => f in FORMAT_ALIASES, {
    message: `must be one of ${Object.keys(FORMAT_ALIASES).join(', ')}`,
  })
  .transform((f) => FORMAT_ALIASES[f] ?? 'auto')
  .describe(
    'file format: auto, ogas-json (json), ogas-csv (csv), iot-csv (iot), wiod-xlsx (wiod), matrix-json (matrix)',
  );

const economyRow = z.object({
  id: z.string(),
  unitId: z.string(),
  name: z.string(),
  source: z.string().nullable(),
  version: z.number().int(),
  createdAt: z.date(),
});

const importReport = z.object({
  format: z.string(),
  products: z.number().int(),
  skills: z.number().int(),
  resources: z.number().int(),
  technologies: z.number().int(),
  targets: z.number().int(),
  nonZeros: z.number().int(),
  year: z.number().int().optional(),
  warnings: z.array(z.string()),
});

const economyId = z.string().min(1).describe('economy id');
const onEconomy = (i: { id: string }, r: { unitOf(kind: string, id: string): Promise<string | null> }) =>
  r.unitOf('economy', i.id);

export const economyOperations = [
  defineOperation({
    name: 'economy.list',
    summary: 'The economies the caller may read.',
    kind: 'query',
    input: z.object({}),
    output: z.object({ economies: z.array(economyRow) }),
    access: { kind: 'public' },
    handler: async (ctx) => {
      const scopes = scopesFor(ctx.principal, 'read');
      const all = await ctx.services.economy.list('everywhere');
      if (scopes === 'everywhere') return { economies: all };
      const visible = [];
      for (const e of all) {
        const unit = await ctx.services.holarchy.get(e.unitId);
        if (unit.public || scopes.some((s) => unit.path.startsWith(s))) visible.push(e);
      }
      return { economies: visible };
    },
  }),
  defineOperation({
    name: 'economy.get',
    summary: 'One economy: its version, source and size.',
    kind: 'query',
    input: z.object({ id: economyId }),
    output: economyRow.extend({ products: z.number(), technologies: z.number(), targets: z.number() }),
    access: { kind: 'unit', permission: 'read', unit: onEconomy, publicRead: true },
    cli: { positional: ['id'] },
    handler: (ctx, i) => ctx.services.economy.summary(i.id),
  }),
  defineOperation({
    name: 'economy.model',
    summary: 'The whole model of an economy: products, skills, resources, technologies, targets.',
    kind: 'query',
    input: z.object({ id: economyId }),
    output: economyModelSchema,
    access: { kind: 'unit', permission: 'read', unit: onEconomy, publicRead: true },
    cli: { positional: ['id'] },
    handler: (ctx, i) => ctx.services.economy.model(i.id),
  }),
  defineOperation({
    name: 'economy.import',
    summary: 'Import a model file into a new economy on a unit (or replace one), all or nothing.',
    kind: 'command',
    input: fileContentSchema.extend({
      format: importFormatSchema.default('auto'),
      year: z.coerce.number().int().min(1900).max(2100).optional().describe('table year, for WIOD tables'),
      unitId: z.string().min(1).optional().describe('unit that owns the economy; the root when omitted'),
      name: z.string().trim().min(1).max(200).optional(),
      economyId: z.string().min(1).optional().describe('replace this economy instead of creating one'),
    }),
    output: z.object({ economy: economyRow, report: importReport }),
    access: { kind: 'unit', permission: 'plan', unit: (i) => i.unitId ?? null },
    cli: { positional: ['format', 'content'], files: [{ field: 'content', encoding: 'base64' }] },
    handler: async (ctx, i) => {
      const unitId = i.unitId ?? (await ctx.services.holarchy.rootId());
      if (!unitId) {
        // Only the local operator passes the access check on an empty holarchy; tell them what is missing.
        throw new DomainError('not-found', 'the holarchy has no root unit to own the economy', {
          issues: [{ field: 'unitId', message: 'no unit given and no root unit yet' }],
          fix: `found the root first (echo '{"parentId":null,"name":"Federation","kind":"economy"}' | ogas holarchy unit create --input -), or give unitId`,
        });
      }
      return ctx.services.economy.import({
        unitId,
        content: fileBytes(i),
        format: i.format,
        ...(i.year === undefined ? {} : { year: i.year }),
        ...(i.name === undefined ? {} : { name: i.name }),
        ...(i.economyId === undefined ? {} : { replaceEconomyId: i.economyId }),
      });
    },
  }),
  defineOperation({
    name: 'economy.export',
    summary: 'Export the model in our JSON or CSV format (re-importable).',
    kind: 'query',
    input: z.object({ id: economyId, format: z.enum(['json', 'csv']).default('json') }),
    output: z.object({ format: z.enum(['json', 'csv']), content: z.string() }),
    access: { kind: 'unit', permission: 'read', unit: onEconomy, publicRead: true },
    cli: { positional: ['id'], output: 'content' },
    handler: async (ctx, i) => ({
      format: i.format,
      content: await ctx.services.economy.export(i.id, i.format),
    }),
  }),
  defineOperation({
    name: 'economy.targets.set',
    summary: 'Set final-demand targets (per product and period); bumps the economy version.',
    kind: 'command',
    input: z.object({ id: economyId, targets: z.array(demandTargetSchema).min(1).max(1_000_000) }),
    output: z.object({ version: z.number().int() }),
    access: { kind: 'unit', permission: 'plan', unit: onEconomy },
    handler: (ctx, i) => ctx.services.economy.setTargets(i.id, i.targets),
  }),
];
