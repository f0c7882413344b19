// Holarchy operations: the unit tree, defined once for HTTP, CLI and NATS.
import { z } from 'zod';
import { defineOperation } from '../core/operation';
import { UNIT_KINDS, unitSchema } from './holarchy';
import type { HolarchyService } from './holarchy.service';

declare module '../core/services' {
  interface Services {
    holarchy: HolarchyService;
  }
}

const id = z.string().min(1).describe('unit id');
const attributes = z.record(z.string(), z.unknown());

export const holarchyOperations = [
  defineOperation({
    name: 'holarchy.unit.create',
    summary: 'Create a unit under a parent (the first unit, with no parent, becomes the root).',
    kind: 'command',
    input: z.object({
      parentId: id.nullable().describe('parent unit id; null only for the root'),
      name: z.string().trim().min(1).max(200),
      kind: z.enum(UNIT_KINDS),
      code: z.string().trim().min(1).max(64).nullable().optional().describe('optional unique code'),
      attributes: attributes.optional(),
      public: z.boolean().optional().describe('readable by the public when true'),
    }),
    output: unitSchema,
    access: { kind: 'unit', permission: 'manage', unit: (i) => i.parentId },
    handler: (ctx, i) => ctx.services.holarchy.create(i),
  }),
  defineOperation({
    name: 'holarchy.unit.get',
    summary: 'Read one unit.',
    kind: 'query',
    input: z.object({ id }),
    output: unitSchema,
    access: { kind: 'unit', permission: 'read', unit: (i) => i.id, publicRead: true },
    cli: { positional: ['id'] },
    handler: (ctx, i) => ctx.services.holarchy.get(i.id),
  }),
  defineOperation({
    name: 'holarchy.unit.update',
    summary: 'Rename a unit, change its attributes or whether it is public.',
    kind: 'command',
    input: z.object({
      id,
      name: z.string().trim().min(1).max(200).optional(),
      attributes: attributes.optional(),
      public: z.boolean().optional(),
    }),
    output: unitSchema,
    access: { kind: 'unit', permission: 'manage', unit: (i) => i.id },
    handler: (ctx, { id: unitId, ...patch }) => ctx.services.holarchy.update(unitId, patch),
  }),
  defineOperation({
    name: 'holarchy.unit.move',
    summary: 'Move a unit (with its subtree) under another parent; never under its own subtree.',
    kind: 'command',
    input: z.object({ id, parentId: id }),
    output: unitSchema,
    access: { kind: 'unit', permission: 'manage', unit: (i) => [i.id, i.parentId] },
    handler: (ctx, i) => ctx.services.holarchy.move(i.id, i.parentId),
  }),
  defineOperation({
    name: 'holarchy.unit.archive',
    summary: 'Archive a unit and its subtree (kept for the record, hidden from listings).',
    kind: 'command',
    input: z.object({ id }),
    output: z.object({ archived: z.number().int() }),
    access: { kind: 'unit', permission: 'manage', unit: (i) => i.id },
    cli: { positional: ['id'] },
    handler: (ctx, i) => ctx.services.holarchy.archive(i.id),
  }),
  defineOperation({
    name: 'holarchy.unit.subtree',
    summary: 'The unit and every unit below it that the caller may read.',
    kind: 'query',
    input: z.object({
      id,
      maxDepth: z.coerce.number().int().min(0).max(64).optional(),
      includeArchived: z.coerce.boolean().optional(),
    }),
    output: z.object({ units: z.array(unitSchema) }),
    access: { kind: 'unit', permission: 'read', unit: (i) => i.id, publicRead: true },
    cli: { positional: ['id'] },
    handler: async (ctx, i) => {
      const units = await ctx.services.holarchy.subtree(i.id, {
        includeArchived: i.includeArchived ?? false,
        ...(i.maxDepth === undefined ? {} : { maxDepth: i.maxDepth }),
      });
      return { units: ctx.services.holarchy.visibleTo(ctx.principal, units) };
    },
  }),
  defineOperation({
    name: 'holarchy.unit.path',
    summary: 'The units from the root down to this one (breadcrumbs).',
    kind: 'query',
    input: z.object({ id }),
    output: z.object({
      units: z.array(
        unitSchema.pick({ id: true, name: true, kind: true, path: true }).extend({
          readable: z
            .boolean()
            .describe(
              'whether the caller may open this unit; the others on the way show their name and nothing else',
            ),
        }),
      ),
    }),
    access: { kind: 'unit', permission: 'read', unit: (i) => i.id, publicRead: true },
    cli: { positional: ['id'] },
    // Built field by field: a unit between the root and the caller's own shows its name, never its code,
    // visibility or anything else it holds.
    handler: async (ctx, i) => ({
      units: (await ctx.services.holarchy.pathToRoot(i.id)).map((u) => ({
        id: u.id,
        name: u.name,
        kind: u.kind,
        path: u.path,
        readable: ctx.services.holarchy.visibleTo(ctx.principal, [u]).length > 0,
      })),
    }),
  }),
  defineOperation({
    name: 'holarchy.unit.children',
    summary: 'The units directly below this one that the caller may read.',
    kind: 'query',
    input: z.object({ id, includeArchived: z.coerce.boolean().optional() }),
    output: z.object({ units: z.array(unitSchema) }),
    access: { kind: 'unit', permission: 'read', unit: (i) => i.id, publicRead: true },
    cli: { positional: ['id'] },
    handler: async (ctx, i) => ({
      units: ctx.services.holarchy.visibleTo(
        ctx.principal,
        await ctx.services.holarchy.children(i.id, i.includeArchived ?? false),
      ),
    }),
  }),
  defineOperation({
    name: 'holarchy.unit.search',
    summary: 'Units whose name or code contains the text, among those the caller may read.',
    kind: 'query',
    input: z.object({
      q: z.string().trim().min(1).max(100),
      limit: z.coerce.number().int().min(1).max(200).optional(),
    }),
    output: z.object({ units: z.array(unitSchema) }),
    access: { kind: 'public' },
    cli: { positional: ['q'] },
    handler: async (ctx, i) => ({
      units: await ctx.services.holarchy.search(ctx.principal, i.q, i.limit ?? 50),
    }),
  }),
  defineOperation({
    name: 'holarchy.unit.tops',
    summary:
      'Where the caller can start reading: the topmost units it may see (its grants, or public units).',
    kind: 'query',
    input: z.object({}),
    output: z.object({ units: z.array(unitSchema) }),
    access: { kind: 'public' },
    handler: async (ctx) => ({ units: await ctx.services.holarchy.tops(ctx.principal) }),
  }),
];
