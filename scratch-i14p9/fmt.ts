import { formatAmount, constraintName } from '../src/planning/formulation/describe';
const xs = Array.from({ length: 100000 }, (_, i) => Math.exp(Math.sin(i) * 8) * (i % 7 === 0 ? -1 : 1));
for (let r = 0; r < 3; r++) {
  let t = performance.now(); let s = 0;
  for (const x of xs) s += formatAmount(x).length;
  const a = performance.now() - t; t = performance.now();
  for (let i = 0; i < xs.length; i++) s += `${constraintName('target', 'p' + i, 1)} is binding (shadow price ${'x'})`.length;
  console.log('format ms', a.toFixed(1), 'names ms', (performance.now() - t).toFixed(1), s);
}
