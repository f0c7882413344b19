// The zod schema of an EconomyModel as exchanged in JSON (our file format and the API body).
// It checks shapes and value ranges; referential integrity is validateModel's job.
import { z } from 'zod';
import { MAX_PERIOD, PRODUCT_KINDS } from '../economy';
import type { EconomyModel } from '../economy';

const code = z.string().min(1, 'must be a non-empty code');
const nonNegative = z.number().min(0, 'must be a finite number ≥ 0');

export const productSchema = z.strictObject({
  code,
  name: z.string(),
  unit: z.string(),
  kind: z.enum(PRODUCT_KINDS),
});

export const skillSchema = z.strictObject({
  code,
  name: z.string(),
  available: nonNegative.nullable().optional(),
  unit: z
    .string()
    .min(1)
    .max(40)
    .optional()
    .describe('what labour of this skill is counted in; hours by default'),
});

export const resourceSchema = z.strictObject({
  code,
  name: z.string(),
  unit: z.string(),
  capacity: nonNegative,
});

export const technologySchema = z.strictObject({
  code,
  name: z.string(),
  product: code,
  outputPerRun: z.number().positive('must be a finite number > 0'),
  inputs: z.array(z.strictObject({ product: code, perUnit: nonNegative })),
  labour: z.array(z.strictObject({ skill: code, perUnit: nonNegative })),
  resources: z.array(z.strictObject({ resource: code, perUnit: nonNegative })),
  capacity: nonNegative.nullable().optional(),
  valueAddedPerUnit: z.number().nullable().optional(),
  unit: z.string().nullable().optional(),
});

export const demandTargetSchema = z.strictObject({
  product: code,
  period: z
    .number()
    .int('must be a whole period number')
    .min(1, 'periods count from 1')
    .max(MAX_PERIOD, `the planner plans at most ${MAX_PERIOD} periods`),
  quantity: z.number(),
});

export const economyModelSchema = z.strictObject({
  name: z.string(),
  source: z.string().nullable().optional(),
  products: z.array(productSchema),
  skills: z.array(skillSchema),
  resources: z.array(resourceSchema),
  technologies: z.array(technologySchema),
  targets: z.array(demandTargetSchema),
});

// Compile-time guards: these fail to typecheck if the schema and the shared EconomyModel type drift apart.
type Parsed = z.infer<typeof economyModelSchema>;
const _schemaFitsModel = (m: Parsed): EconomyModel => m;
const _modelFitsSchema = (m: EconomyModel): Parsed => m;
