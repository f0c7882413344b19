// Reads the plain matrix form researchers exchange (A, direct_labour_l, gross_output_Q, optional D and b).
import type { FieldIssue } from '../../core/errors';
import type { EconomyModel } from '../economy';
import { modelIssues } from '../validate-model';
import type { ImportResult, RawMatrices } from './import-result';
import { modelCounts } from './import-result';
import { parseJsonText } from './ogas-json';
import { refusal } from './refusal';

const KNOWN = new Set([
  'A',
  'direct_labour_l',
  'gross_output_Q',
  'depreciation_D',
  'real_wage_bundle_b',
  'products',
  'industries',
  'name',
  'source',
]);
const FIX =
  'give A as an n×n array of rows, direct_labour_l and gross_output_Q as arrays of n numbers ≥ 0 ' +
  '(docs/formats/io-tables.md, "Plain matrix JSON")';

/** The model (products p1..pn unless `products` names them) and the matrices exactly as read. */
export async function importMatrixJson(
  content: Buffer | string,
): Promise<ImportResult & { matrices: RawMatrices }> {
  const data = parseJsonText(content);
  const issues: FieldIssue[] = [];
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw refusal('matrix JSON', [{ field: '(root)', message: 'must be a JSON object' }], FIX);
  }
  const doc = data as Record<string, unknown>;

  const vector = (field: string, required: boolean, n?: number): number[] | undefined => {
    const v = doc[field];
    if (v === undefined) {
      if (required) issues.push({ field, message: 'is required' });
      return undefined;
    }
    if (!Array.isArray(v)) {
      issues.push({ field, message: 'must be an array of numbers' });
      return undefined;
    }
    if (n !== undefined && v.length !== n) {
      issues.push({
        field,
        message: `must have n = ${n} entries (the length of direct_labour_l), not ${v.length}`,
      });
    }
    v.forEach((x, i) => {
      if (typeof x !== 'number' || !Number.isFinite(x) || x < 0) {
        issues.push({ field: `${field}[${i}]`, message: 'must be a finite number ≥ 0' });
      }
    });
    return v as number[];
  };
  const matrix = (field: string, required: boolean, n: number): number[][] | undefined => {
    const m = doc[field];
    if (m === undefined) {
      if (required) issues.push({ field, message: 'is required' });
      return undefined;
    }
    if (!Array.isArray(m) || m.length !== n || m.some((row) => !Array.isArray(row) || row.length !== n)) {
      issues.push({ field, message: `must be square n×n with n = ${n}, the length of direct_labour_l` });
      return undefined;
    }
    (m as unknown[][]).forEach((row, i) =>
      row.forEach((x, j) => {
        if (typeof x !== 'number' || !Number.isFinite(x) || x < 0) {
          issues.push({ field: `${field}[${i}][${j}]`, message: 'must be a finite number ≥ 0' });
        }
      }),
    );
    return m as number[][];
  };

  const l = vector('direct_labour_l', true);
  const n = l?.length ?? 0;
  if (l !== undefined && n === 0) issues.push({ field: 'direct_labour_l', message: 'must not be empty' });
  const Q = vector('gross_output_Q', true, n);
  const A = matrix('A', true, n);
  const D = matrix('depreciation_D', false, n);
  const b = vector('real_wage_bundle_b', false, n);
  if (doc.industries !== undefined && doc.industries !== n) {
    issues.push({
      field: 'industries',
      message: `says ${String(doc.industries)} but direct_labour_l has ${n} entries`,
    });
  }
  const codes = productCodes(doc.products, n, issues);
  for (const key of ['name', 'source']) {
    if (doc[key] !== undefined && typeof doc[key] !== 'string')
      issues.push({ field: key, message: 'must be a string' });
  }
  if (issues.length > 0 || l === undefined || Q === undefined || A === undefined) {
    throw refusal('matrix JSON', issues, FIX);
  }

  const net = codes.map(
    (_, i) => (Q[i] ?? 0) - codes.reduce((s, _c, j) => s + (A[i]?.[j] ?? 0) * (Q[j] ?? 0), 0),
  );
  const model: EconomyModel = {
    name: typeof doc.name === 'string' ? doc.name : `${n}-product matrix economy`,
    source: typeof doc.source === 'string' ? doc.source : 'plain matrix JSON',
    products: codes.map((code) => ({ code, name: code, unit: 'unit', kind: 'means-of-production' })),
    skills: [{ code: 'labour', name: 'Direct labour' }],
    resources: [],
    technologies: codes.map((code, j) => ({
      code,
      name: code,
      product: code,
      outputPerRun: 1,
      inputs: codes.flatMap((input, i) => {
        const a = A[i]?.[j] ?? 0;
        return a === 0 ? [] : [{ product: input, perUnit: a }];
      }),
      labour: [{ skill: 'labour', perUnit: l[j] ?? 0 }],
      resources: [],
    })),
    targets: codes.map((product, i) => ({ product, period: 1, quantity: net[i] ?? 0 })),
  };
  const integrity = modelIssues(model);
  if (integrity.length > 0) throw refusal('matrix JSON', integrity, FIX);

  const warnings: string[] = [];
  const ignored = Object.keys(doc).filter((k) => !KNOWN.has(k));
  if (ignored.length > 0) warnings.push(`fields not used by the model: ${ignored.join(', ')}`);
  if (D) warnings.push('depreciation_D is kept with the matrices; the economy model has no depreciation');
  if (b) warnings.push('real_wage_bundle_b is kept with the matrices; the economy model has no wage bundle');
  net.forEach((d, i) => {
    if (d < 0) warnings.push(`net output of ${codes[i]} (Q − A·Q) is negative: ${d}`);
  });
  return {
    model,
    report: { format: 'matrix-json', ...modelCounts(model), warnings },
    matrices: { A, l, Q, ...(D ? { D } : {}), ...(b ? { b } : {}) },
  };
}

function productCodes(given: unknown, n: number, issues: FieldIssue[]): string[] {
  if (given === undefined) return Array.from({ length: n }, (_, i) => `p${i + 1}`);
  if (!Array.isArray(given) || given.length !== n) {
    issues.push({ field: 'products', message: `must be an array of n = ${n} product codes` });
    return [];
  }
  const seen = new Set<string>();
  given.forEach((code, i) => {
    if (typeof code !== 'string' || code === '')
      issues.push({ field: `products[${i}]`, message: 'must be a non-empty string' });
    else if (seen.has(code)) issues.push({ field: `products[${i}]`, message: `duplicate code "${code}"` });
    else seen.add(code);
  });
  return given as string[];
}
