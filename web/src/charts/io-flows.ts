// Input–output flows between products as a two-column Sankey (suppliers left, users right), so cycles stay acyclic.
import type { EconomyModel } from '../api/economy';
import type { ChartOption } from './EChart';

export interface Flow {
  from: string;
  to: string;
  value: number;
}

/**
 * Flows of inputs: for each technology run at `levels[code]`, input i flows from product i to the
 * technology's product with value perUnit × level. Flows of a product to itself are kept (own use).
 */
export function ioFlows(model: EconomyModel, levels: ReadonlyMap<string, number>): Flow[] {
  const sums = new Map<string, Flow>();
  for (const t of model.technologies) {
    const level = levels.get(t.code) ?? 0;
    if (level <= 0) continue;
    for (const input of t.inputs) {
      const value = input.perUnit * level;
      if (!(value > 0)) continue;
      const key = `${input.product}\u0000${t.product}`;
      const f = sums.get(key);
      if (f) f.value += value;
      else sums.set(key, { from: input.product, to: t.product, value });
    }
  }
  return [...sums.values()];
}

/** The largest flows, or every flow into or out of `product` when one is chosen. */
export function selectFlows(flows: Flow[], product: string | undefined, limit: number): Flow[] {
  const chosen = product === undefined ? flows : flows.filter((f) => f.from === product || f.to === product);
  return [...chosen].sort((a, b) => b.value - a.value).slice(0, limit);
}

const supplier = (code: string) => `${code} →`;
const user = (code: string) => `→ ${code}`;

export function sankeyOption(flows: Flow[], names: ReadonlyMap<string, string>, unit: string): ChartOption {
  const nodes = new Map<string, { name: string; depth: number }>();
  for (const f of flows) {
    nodes.set(supplier(f.from), { name: supplier(f.from), depth: 0 });
    nodes.set(user(f.to), { name: user(f.to), depth: 1 });
  }
  const fmt = new Intl.NumberFormat('en', { maximumSignificantDigits: 4 });
  const nameOf = (node: string) => names.get(node.replace(/[→ ]/g, '')) ?? node;
  return {
    tooltip: {
      trigger: 'item',
      formatter: (p: {
        dataType?: string;
        data: { source?: string; target?: string; value?: number; name?: string };
      }) =>
        p.dataType === 'edge'
          ? `${nameOf(p.data.source ?? '')} → ${nameOf(p.data.target ?? '')}: ${fmt.format(p.data.value ?? 0)} ${unit}`
          : nameOf(p.data.name ?? ''),
    },
    series: [
      {
        type: 'sankey',
        data: [...nodes.values()],
        links: flows.map((f) => ({ source: supplier(f.from), target: user(f.to), value: f.value })),
        emphasis: { focus: 'adjacency' },
        nodeAlign: 'justify',
        nodeGap: 6,
        left: 90,
        right: 90,
        lineStyle: { color: 'gradient', opacity: 0.45 },
        label: { fontSize: 12, color: '#1b1f24' },
      },
    ],
  };
}
