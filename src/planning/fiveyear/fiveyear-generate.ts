// Generates test economies in the 5yearplan file format (flows, cap, dep, labtarg), for benchmarks and tests.
//
// The shape follows the description of the 5yearplan software's own test generator (wc22m/5yearplan,
// testeconomy): each industry buys from about log₂(n) + 5 others, chosen at random; a link carries a flow
// (1 or 3 units) or a capital stock (2, 3, 6 or 7 units) or both, with even odds; depreciation is 7 % a year;
// labour per industry is 1–9; base-year output is twice the product's use by others; the final-consumption
// target is 90 % of that use, growing 3 % a year, and the labour supply is the base-year labour growing
// 2 % a year. Our own code, seeded, so a run can be repeated.
import type { FiveYearFiles } from './fiveyear-files';

/** A small, fast, seeded generator (mulberry32): the same seed gives the same economy. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DEPRECIATION = 0.07;
const TARGET_SHARE = 0.9;
const TARGET_GROWTH = 1.03;
const LABOUR_GROWTH = 1.02;

export interface GeneratedFiveYear {
  files: FiveYearFiles;
  products: string[];
}

/** An economy of `industries` products over `years` years in the four 5yearplan files. */
export function generateFiveYearFiles(industries: number, years: number, seed = 1): GeneratedFiveYear {
  const n = industries;
  const rnd = seeded(seed);
  const names = Array.from({ length: n }, (_, k) => `P${k}`);
  const linkChance = (Math.log2(n) + 5) / n;
  const flows: string[] = [];
  const cap: string[] = [];
  const dep: string[] = [];
  const use = new Float64Array(n);
  const head = `headings,${names.join(',')}`;
  const depRow = new Array<string>(n).fill(String(DEPRECIATION)).join(',');
  for (let i = 0; i < n; i++) {
    const f = new Array<number>(n).fill(0);
    const c = new Array<number>(n).fill(0);
    for (let j = 0; j < n; j++) {
      if (rnd() >= linkChance) continue;
      const bits = Math.floor(rnd() * 8);
      if (bits & 1) f[j] = bits & 2 ? 3 : 1;
      if (bits & 2) c[j] = bits & 4 ? 6 + (bits & 1) : 2 + (bits & 1);
      use[i]! += f[j]! + c[j]! * DEPRECIATION;
    }
    // Every product is used by someone, so that its base-year output (twice its use) is positive.
    if (use[i]! < 1) {
      const j = Math.floor(rnd() * n);
      f[j] = 1;
      use[i]! += 1;
    }
    flows.push(`${names[i]},${f.join(',')}`);
    cap.push(`${names[i]},${c.join(',')}`);
    dep.push(`${names[i]},${depRow}`);
  }
  const labour = Array.from({ length: n }, () => 1 + Math.floor(rnd() * 9));
  let supply = labour.reduce((a, b) => a + b, 0);
  flows.push(`labour,${labour.join(',')}`);
  flows.push(`output,${Array.from(use, (u) => 2 * Math.floor(u)).join(',')}`);
  const targ: string[] = [`${head},labour`];
  const wanted = Float64Array.from(use, (u) => TARGET_SHARE * u);
  for (let y = 1; y <= years; y++) {
    targ.push(`year${y},${Array.from(wanted, (w) => Math.floor(w)).join(',')},${supply}`);
    for (let j = 0; j < n; j++) wanted[j]! *= TARGET_GROWTH;
    supply = Math.floor(supply * LABOUR_GROWTH);
  }
  const text = (rows: string[]) => `${[head, ...rows].join('\n')}\n`;
  return {
    files: { flows: text(flows), cap: text(cap), dep: text(dep), labtarg: `${targ.join('\n')}\n` },
    products: names,
  };
}
