// Lists the functions of HiGHS's Wasm module (highs-js's highs.wasm) where PDLP then crossover spends its HiGHS
// time, for HIGHS_HOT_FUNCTIONS in src/numeric/lp/highs-hints.ts: IPX's crossover and the simplex after it on
// warmUpLp() (3,000 columns, seed 1: not the bench's LP), solved eight times in this thread under V8's sampling
// profiler. Prints the indices of the functions with at least 1 % of the samples in Wasm code, the share they
// cover, and the SHA-256 of the module they belong to. `node --import tsx scripts/highs-hot-functions.ts`.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Session, type Profiler } from 'node:inspector/promises';
import { createRequire } from 'node:module';
import { complementaryStart } from '../src/numeric/lp/complementary-start';
import { crossoverWithHighs } from '../src/numeric/lp/highs-crossover';
import { warmUpLp } from '../src/numeric/lp/highs-warm';
import { highsCrossoverTolerance } from '../src/numeric/lp/pdlp-crossover';
import { createPdlpSolver } from '../src/numeric/lp/pdlp/pdlp-solver';

/** A function is listed if it took at least this share of the samples in Wasm code. */
const MIN_SHARE = 0.01;
const lp = warmUpLp();
const first = await createPdlpSolver({ method: 'halpern' }).solve(lp, {
  tolerance: highsCrossoverTolerance(lp.matrix.values.length),
});
const start = complementaryStart(lp, first);
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 200 });
await session.post('Profiler.start');
for (let run = 0; run < 8; run++) {
  const s = await crossoverWithHighs(lp, start);
  if (s.status !== 'optimal') throw new Error(`the crossover ended ${s.status}: ${s.message ?? ''}`);
}
const { profile } = (await session.post('Profiler.stop')) as { profile: Profiler.Profile };
session.disconnect();

const nameOf = new Map(profile.nodes.map((n) => [n.id, n.callFrame.functionName]));
const samples = new Map<number, number>();
let total = 0;
for (const id of profile.samples ?? []) {
  const match = /^wasm-function\[(\d+)\]$/.exec(nameOf.get(id) ?? '');
  if (match === null) continue;
  const index = Number(match[1]);
  samples.set(index, (samples.get(index) ?? 0) + 1);
  total++;
}
const hot: number[] = [];
let covered = 0;
for (const [index, count] of [...samples].sort((a, b) => b[1] - a[1])) {
  if (count < MIN_SHARE * total) break;
  hot.push(index);
  covered += count;
}
const path = createRequire(import.meta.url).resolve('highs/runtime');
const sha256 = createHash('sha256').update(readFileSync(path)).digest('hex');
console.log(
  JSON.stringify({
    module: path,
    sha256,
    samples: total,
    covered: covered / total,
    hot: hot.sort((a, b) => a - b),
  }),
);
