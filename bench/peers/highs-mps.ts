// Peer for bench/lp-solvers.bench.ts, run in its own process: reads a free-format MPS file, solves it with npm
// `highs` (Wasm) by one method, and prints one JSON object (status, objective, seconds, iterations, rowDual).
// It runs in a child so that the bench can kill it: highs-js's interior point checks its time limit only between
// iterations, and one iteration at 10⁵ columns took minutes, so a peer must not be waited on forever.
// One small solve runs first, untimed: the first solve in a process pays V8's compilation of the Wasm code.
// Usage: node --import tsx bench/peers/highs-mps.ts FILE.mps METHOD TIME_LIMIT_SECONDS [WARM_UP.mps]   (simplex|ipm|pdlp)
import { readFileSync } from 'node:fs';

const [file, method, limit, warmUpFile] = process.argv.slice(2);
if (file === undefined || method === undefined || limit === undefined) {
  console.error('usage: highs-mps.ts FILE.mps simplex|ipm|pdlp TIME_LIMIT_SECONDS');
  process.exit(2);
}
const { default: loadHighs } = await import('highs');
const warm = await loadHighs();
warm.solve('Minimize\n obj: x + y\nSubject To\n c1: x + 2 y >= 1\nEnd\n');
const highs = await loadHighs();
// With a warm-up file (the bench's warm-up LP, the one ours solves untimed first), the same method solves it
// first in this instance, so the timed solve runs code V8 has already compiled and optimised, as ours does.
if (warmUpFile !== undefined) {
  const warmModel = highs.createModel({ format: 'mps', data: readFileSync(warmUpFile, 'utf8') });
  warmModel.options.set({ output_flag: false, solver: method, time_limit: Number(limit) });
  warmModel.run();
  warmModel.dispose();
  // As ours does after its warm-up (untilIdle in highs-warm.ts): V8's background compiles end before the timing.
  for (let waited = 0; waited < 10_000; waited += 200) {
    const before = process.cpuUsage();
    await new Promise<void>((resolve) => setTimeout(resolve, 200));
    const used = process.cpuUsage(before);
    if ((used.user + used.system) / 1000 < 20) break;
  }
}
const model = highs.createModel({ format: 'mps', data: readFileSync(file, 'utf8') });
model.options.set({ output_flag: false, solver: method, time_limit: Number(limit) });
const started = performance.now();
const cpuStarted = process.cpuUsage();
const code = model.run().modelStatus;
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuStarted);
const optimal = code === highs.constants.modelStatus.optimal;
const count = (name: string) => Number(model.info.get(name) ?? 0);
process.stdout.write(
  JSON.stringify({
    status: optimal
      ? 'optimal'
      : code === highs.constants.modelStatus.timeLimit
        ? 'time-limit'
        : `model status ${code}`,
    objective: optimal ? model.getObjectiveValue() : null,
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    iterations:
      count('simplex_iteration_count') +
      count('ipm_iteration_count') +
      count('crossover_iteration_count') +
      count('pdlp_iteration_count'),
    rowDual: optimal ? Array.from(model.getSolution().rowDual) : null,
  }),
);
model.dispose();
