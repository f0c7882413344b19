// Input–output analysis as operations: on a file (no database needed) or on a stored economy.
import { z } from 'zod';
import { DomainError } from '../core/errors';
import { offload } from '../core/offload';
import { defineOperation } from '../core/operation';
import { ANALYSIS_LIMITS, ANALYZE_BYTES, checkAnalysisSize } from './analysis-limits';
import type { EconomyModel } from './economy';
import { analyzeEconomy, type EconomyAnalysis } from '../numeric/leontief/analysis';
import type { LeontiefFailure } from '../numeric/leontief/status';
import { economyMatrices, type AnalysisMatrices } from './economy-matrices';
import { fileBytes, fileContentSchema } from './file-content';
import { importEconomy } from './import/import-economy';
import { importFormatSchema } from './economy.operations';

const outcome = z
  .object({
    status: z.string().describe('ok, invalid, not-productive, singular or not-converged'),
    residual: z.number().optional(),
    iterations: z.number().optional(),
    seconds: z.number().optional(),
    method: z.string().optional(),
    message: z.string().optional(),
  })
  .catchall(z.unknown());

export const analysisSchema = z.object({
  products: z.array(z.string()),
  productivity: z
    .object({ eigenvalue: z.number(), productive: z.boolean(), iterations: z.number(), seconds: z.number() })
    .optional()
    .describe('dominant eigenvalue of A (< 1 for a productive economy)'),
  balance: outcome.optional().describe('gross output x from x = Ax + d; field x'),
  multipliers: outcome.optional().describe('output, valueAdded and employment multipliers'),
  labourValues: outcome.describe('v = l(I − A)⁻¹; field values'),
  labourValuesWithDepreciation: outcome.optional().describe('v = l(I − A − D)⁻¹; field values'),
  pricesOfProduction: outcome
    .optional()
    .describe('uniform profit rate: fields profitRate, eigenvalue, prices'),
  directPrices: outcome.optional().describe('labour values normalised like prices; field prices'),
  warnings: z.array(z.string()),
});
export type AnalysisOutput = z.infer<typeof analysisSchema>;

function plain(value: unknown): unknown {
  if (value instanceof Float64Array || value instanceof Int32Array) return Array.from(value);
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  }
  return value;
}

function failure(f: LeontiefFailure): DomainError {
  switch (f.status) {
    case 'not-productive':
      return new DomainError('not-productive', f.message, {
        data: { eigenvalueEstimate: f.eigenvalueEstimate },
        fix: 'the dominant eigenvalue of A must be below 1: check the coefficients (inputs per unit of output)',
      });
    case 'invalid':
      return new DomainError('invalid', `${f.field}: ${f.message}`, {
        issues: [{ field: f.field, message: f.message }],
      });
    case 'singular':
      return new DomainError('singular', f.message, { fix: 'check for empty or duplicated sectors' });
    case 'not-converged':
      return new DomainError('not-productive', f.message, {
        data: { residual: f.residual, iterations: f.iterations },
        fix: 'the iteration did not converge: the economy may be (nearly) non-productive',
      });
  }
}

/** Runs every analysis the matrices allow; a non-productive economy is an error, never a vector of NaN. */
export function analyzeMatrices(m: AnalysisMatrices): AnalysisOutput {
  const result = analyzeEconomy({
    A: m.A,
    l: m.l,
    d: m.d,
    ...(m.Q ? { Q: m.Q } : {}),
    ...(m.D ? { D: m.D } : {}),
    ...(m.b ? { b: m.b } : {}),
    ...(m.valueAdded ? { valueAdded: m.valueAdded } : {}),
    ...(m.employment ? { employment: m.employment } : {}),
  });
  if ('status' in result) throw failure(result);
  const analysis: EconomyAnalysis = result;
  if (analysis.productivity && !analysis.productivity.productive) {
    throw new DomainError(
      'not-productive',
      `the economy is not productive: dominant eigenvalue of A ≈ ${analysis.productivity.eigenvalue.toPrecision(6)} ≥ 1`,
      {
        data: { eigenvalueEstimate: analysis.productivity.eigenvalue },
        fix: 'no non-negative gross output can meet a positive net demand; check the coefficients',
      },
    );
  }
  if (analysis.labourValues.status === 'not-productive') throw failure(analysis.labourValues);
  return {
    products: m.products,
    ...(plain(analysis) as Omit<AnalysisOutput, 'products' | 'warnings'>),
    warnings: m.warnings,
  };
}

/** Input of the economy.analyze task: the file as sent. */
export type AnalyzeFileInput = z.output<typeof analyzeInput>;

/** Parses and analyses an uploaded economy file: runs in the compute pool. */
export async function analyzeFileTask(i: AnalyzeFileInput & { maxOrder?: number }): Promise<AnalysisOutput> {
  const imported = await importEconomy(fileBytes(i), {
    format: i.format,
    ...(i.year === undefined ? {} : { year: i.year }),
  });
  checkAnalysisSize(imported.model, i.maxOrder);
  const out = analyzeMatrices(economyMatrices(imported.model, imported.observed, imported.matrices));
  return { ...out, warnings: [...imported.report.warnings, ...out.warnings] };
}

/** Analyses a stored economy's model: runs in the compute pool. */
export function analyzeModelTask(model: EconomyModel): AnalysisOutput {
  checkAnalysisSize(model);
  return analyzeMatrices(economyMatrices(model));
}

const analyzeInput = fileContentSchema.extend({
  format: importFormatSchema.default('auto'),
  year: z.coerce.number().int().min(1900).max(2100).optional(),
});

export const analysisOperations = [
  defineOperation({
    name: 'economy.analyze',
    summary:
      'Analyse an economy file without a database: balance, multipliers, labour values, prices of production.',
    kind: 'query',
    input: analyzeInput,
    output: analysisSchema,
    access: { kind: 'public' },
    needsStore: false,
    cli: { positional: ['content'], files: [{ field: 'content', encoding: 'base64' }] },
    heavy: {
      limits: [ANALYZE_BYTES],
      notes: [
        `at most ${ANALYSIS_LIMITS.order} products (${ANALYSIS_LIMITS.anonymousOrder} without signing in) and ${ANALYSIS_LIMITS.nonzeros} nonzero coefficients`,
      ],
    },
    handler: (ctx, i) =>
      offload(ctx, 'economy.analyze', {
        ...i,
        maxOrder: ctx.principal.kind === 'anonymous' ? ANALYSIS_LIMITS.anonymousOrder : ANALYSIS_LIMITS.order,
      }),
  }),
  defineOperation({
    name: 'economy.analysis',
    summary: 'Analyse a stored economy: balance of its first-period targets, multipliers, labour values.',
    kind: 'query',
    input: z.object({ id: z.string().min(1) }),
    output: analysisSchema,
    access: { kind: 'unit', permission: 'read', unit: (i, r) => r.unitOf('economy', i.id), publicRead: true },
    cli: { positional: ['id'] },
    heavy: { limits: [] },
    handler: async (ctx, i) => offload(ctx, 'economy.analysis', await ctx.services.economy.model(i.id)),
  }),
];
