// Round trips and refusals of the OGAS economy JSON and CSV formats.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../core/errors';
import { PRODUCT_KINDS } from '../economy';
import type { EconomyModel, Technology } from '../economy';
import { exportEconomyCsv } from '../export/ogas-csv';
import { exportEconomyJson } from '../export/ogas-json';
import { importOgasCsv } from './ogas-csv';
import { importOgasJson } from './ogas-json';

const fixture = (name: string): Buffer => readFileSync(new URL(`../fixtures/${name}`, import.meta.url));

// Text that survives CSV quoting, including commas, quotes, newlines and edge spaces.
const text = fc.string({ unit: fc.constantFrom('a', 'Z', ' ', ',', '"', '\n', 'é', '1', '-'), maxLength: 8 });
const nonEmpty = text.filter((s) => s.length > 0);
// Both formats write −0 as 0, as JSON does; adding 0 turns −0 into 0.
const real = (min: number, max: number): fc.Arbitrary<number> =>
  fc.double({ min, max, noNaN: true, noDefaultInfinity: true }).map((x) => x + 0);
const amount = real(0, 1e9);

const modelArb: fc.Arbitrary<EconomyModel> = fc
  .record({
    name: text,
    source: fc.option(nonEmpty, { nil: undefined }),
    productCount: fc.integer({ min: 1, max: 5 }),
    skillCount: fc.integer({ min: 0, max: 3 }),
    resourceCount: fc.integer({ min: 0, max: 2 }),
    kinds: fc.array(fc.constantFrom(...PRODUCT_KINDS), { minLength: 5, maxLength: 5 }),
    names: fc.array(text, { minLength: 5, maxLength: 5 }),
    available: fc.array(fc.option(amount, { nil: undefined }), { minLength: 3, maxLength: 3 }),
    capacities: fc.array(amount, { minLength: 2, maxLength: 2 }),
    techs: fc.array(
      fc.record({
        product: fc.nat(),
        outputPerRun: real(1e-6, 1e6),
        inputs: fc.array(fc.tuple(fc.nat(), amount), { maxLength: 4 }),
        labour: fc.array(fc.tuple(fc.nat(), amount), { maxLength: 2 }),
        resources: fc.array(fc.tuple(fc.nat(), amount), { maxLength: 2 }),
        capacity: fc.option(amount, { nil: undefined }),
        valueAddedPerUnit: fc.option(real(-10, 10), { nil: undefined }),
        unit: fc.option(nonEmpty, { nil: undefined }),
      }),
      { maxLength: 6 },
    ),
    targets: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 5 }), real(-1e12, 1e12)), {
      maxLength: 6,
    }),
  })
  .map((g) => {
    const pick = <T>(list: T[], i: number): T => list[i % list.length] as T;
    const products = Array.from({ length: g.productCount }, (_, i) => ({
      code: `p${i}`,
      name: pick(g.names, i),
      unit: 't',
      kind: pick(g.kinds, i),
    }));
    const skills = Array.from({ length: g.skillCount }, (_, i) => {
      const available = pick(g.available, i);
      return { code: `s${i}`, name: `skill ${i}`, ...(available === undefined ? {} : { available }) };
    });
    const resources = Array.from({ length: g.resourceCount }, (_, i) => ({
      code: `r${i}`,
      name: `resource ${i}`,
      unit: 'ha',
      capacity: pick(g.capacities, i),
    }));
    const technologies: Technology[] = g.techs.map((t, i) => ({
      code: `t${i}`,
      name: `technology ${i}`,
      product: pick(products, t.product).code,
      outputPerRun: t.outputPerRun,
      inputs: t.inputs.map(([p, perUnit]) => ({ product: pick(products, p).code, perUnit })),
      labour:
        skills.length === 0 ? [] : t.labour.map(([s, perUnit]) => ({ skill: pick(skills, s).code, perUnit })),
      resources:
        resources.length === 0
          ? []
          : t.resources.map(([r, perUnit]) => ({ resource: pick(resources, r).code, perUnit })),
      ...(t.capacity === undefined ? {} : { capacity: t.capacity }),
      ...(t.valueAddedPerUnit === undefined ? {} : { valueAddedPerUnit: t.valueAddedPerUnit }),
      ...(t.unit === undefined ? {} : { unit: t.unit }),
    }));
    const targets = g.targets.map(([p, period, quantity]) => ({
      product: pick(products, p).code,
      period,
      quantity,
    }));
    return {
      name: g.name,
      ...(g.source === undefined ? {} : { source: g.source }),
      products,
      skills,
      resources,
      technologies,
      targets,
    };
  });

async function refusalOf(promise: Promise<unknown>): Promise<DomainError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}

describe('OGAS economy formats', () => {
  it('reads the documented CSV example and its JSON twin as the same model', async () => {
    const csv = await importOgasCsv(fixture('example-economy.csv'));
    const json = await importOgasJson(fixture('example-economy.json'));
    expect(json.model).toEqual(csv.model);
    expect(csv.report).toMatchObject({
      format: 'ogas-csv',
      products: 3,
      skills: 2,
      resources: 1,
      technologies: 4,
    });
    expect(csv.report).toMatchObject({ targets: 3, nonZeros: 6, warnings: [] });
    const workshop = csv.model.technologies.find((t) => t.code === 'workshop');
    expect(workshop?.inputs).toEqual([
      { product: 'tools', perUnit: 0.1 },
      { product: 'grain', perUnit: 0.01 },
    ]);
  });

  it('exports the CSV example back byte for byte', async () => {
    const original = fixture('example-economy.csv').toString('utf8');
    const { model } = await importOgasCsv(original);
    expect(exportEconomyCsv(model)).toBe(original);
  });

  it('round-trips any valid model through JSON', async () => {
    await fc.assert(
      fc.asyncProperty(modelArb, async (model) => {
        expect((await importOgasJson(exportEconomyJson(model))).model).toEqual(model);
      }),
      { numRuns: 150 },
    );
  });

  it('round-trips any valid model through CSV', async () => {
    await fc.assert(
      fc.asyncProperty(modelArb, async (model) => {
        expect((await importOgasCsv(exportEconomyCsv(model))).model).toEqual(model);
      }),
      { numRuns: 150 },
    );
  });

  it('refuses JSON whose fields have the wrong shape, naming each path', async () => {
    const model = JSON.parse(fixture('example-economy.json').toString('utf8')) as Record<string, unknown>;
    const techs = model.technologies as Record<string, unknown>[];
    (techs[1] as { inputs: { perUnit: number }[] }).inputs[0] = { perUnit: -1 } as never;
    (techs[2] as { outputPerRun: number }).outputPerRun = 0;
    const error = await refusalOf(importOgasJson(JSON.stringify(model)));
    expect(error.kind).toBe('invalid');
    const fields = error.issues.map((i) => i.field);
    expect(fields).toContain('technologies[1].inputs[0].product');
    expect(fields).toContain('technologies[1].inputs[0].perUnit');
    expect(fields).toContain('technologies[2].outputPerRun');
  });

  it('refuses JSON that references an unknown product', async () => {
    const model = JSON.parse(fixture('example-economy.json').toString('utf8')) as EconomyModel;
    model.targets.push({ product: 'cake', period: 1, quantity: 1 });
    const error = await refusalOf(importOgasJson(JSON.stringify(model)));
    expect(error.issues).toEqual([{ field: 'targets[3].product', message: 'unknown product "cake"' }]);
  });

  it('refuses malformed JSON text', async () => {
    const error = await refusalOf(importOgasJson('{"name": '));
    expect(error.issues[0]?.field).toBe('(file)');
  });

  it('refuses CSV cells that are not numbers, naming the line and column', async () => {
    const csv = fixture('example-economy.csv')
      .toString('utf8')
      .replace('grain-field,grain,,,0.1', 'grain-field,grain,,,a lot');
    const error = await refusalOf(importOgasCsv(csv));
    expect(error.issues).toEqual([
      { field: "line 10, column 'per_unit'", message: '"a lot" is not a number' },
    ]);
  });

  it('refuses CSV lines whose technology, record or unused cells are wrong', async () => {
    const csv = [
      'record,code,name,kind,technology,product,per_unit,output_per_run',
      'economy,,Broken,,,,,',
      'product,a,A,consumer,,,,',
      'technology,t,T,,,a,,1',
      'input,,,,nope,a,0.5,',
      'gadget,,,,,,,',
      'product,b,B,consumer,,,0.3,',
    ].join('\n');
    const error = await refusalOf(importOgasCsv(csv));
    expect(error.issues.map((i) => i.field)).toEqual([
      "line 6, column 'record'",
      "line 7, column 'per_unit'",
      "line 5, column 'technology'",
    ]);
  });

  it('refuses CSV with duplicate codes, pointing at the offending line', async () => {
    const csv = `${fixture('example-economy.csv').toString('utf8')}product,bread,Rye bread,t,consumer,,,,,,,,,,,,,\n`;
    const error = await refusalOf(importOgasCsv(csv));
    expect(error.issues).toEqual([
      { field: 'line 27 (products[3].code)', message: 'duplicate code "bread"' },
    ]);
  });
});
