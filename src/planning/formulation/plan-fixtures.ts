// Small hand-checkable economies for the planning tests (each one's optimum is worked out by hand in its test).
import type { EconomyModel, Technology } from '../../economy/economy';

type TechShape = Pick<Technology, 'code' | 'product'> &
  Partial<Pick<Technology, 'capacity' | 'unit'>> & {
    inputs?: Record<string, number>;
    labour?: Record<string, number>;
    resources?: Record<string, number>;
  };

/** An economy from terse shapes: products by code, technologies by coefficients, targets per period. */
export function tinyEconomy(shape: {
  products: string[];
  skills?: Record<string, number | null>;
  resources?: Record<string, number>;
  technologies: TechShape[];
  targets: Record<string, number[]>;
}): EconomyModel {
  return {
    name: 'hand-checkable test economy',
    source: 'constructed for the unit tests; optimum computed by hand in each test',
    products: shape.products.map((code) => ({ code, name: code, unit: 't', kind: 'consumer' as const })),
    skills: Object.entries(shape.skills ?? { general: null }).map(([code, available]) => ({
      code,
      name: code,
      available,
    })),
    resources: Object.entries(shape.resources ?? {}).map(([code, capacity]) => ({
      code,
      name: code,
      unit: 'ha',
      capacity,
    })),
    technologies: shape.technologies.map((t) => ({
      code: t.code,
      name: t.code,
      product: t.product,
      outputPerRun: 1,
      inputs: Object.entries(t.inputs ?? {}).map(([product, perUnit]) => ({ product, perUnit })),
      labour: Object.entries(t.labour ?? {}).map(([skill, perUnit]) => ({ skill, perUnit })),
      resources: Object.entries(t.resources ?? {}).map(([resource, perUnit]) => ({ resource, perUnit })),
      capacity: t.capacity ?? null,
      unit: t.unit ?? null,
    })),
    targets: Object.entries(shape.targets).flatMap(([product, qs]) =>
      qs.map((quantity, i) => ({ product, period: i + 1, quantity })),
    ),
  };
}

/**
 * Steel by T1 (2 h a tonne) or by T2 (1 h and 0.5 t of coal), coal by C (1 h): T2's full labour cost is 1.5 h, so
 * the indirect technique is the cheaper one. Ten tonnes of steel in period 1.
 */
export function steelAndCoal(): EconomyModel {
  return tinyEconomy({
    products: ['steel', 'coal'],
    technologies: [
      { code: 'T1', product: 'steel', labour: { general: 2 } },
      { code: 'T2', product: 'steel', labour: { general: 1 }, inputs: { coal: 0.5 } },
      { code: 'C', product: 'coal', labour: { general: 1 } },
    ],
    targets: { steel: [10] },
  });
}
