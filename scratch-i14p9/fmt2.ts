import { formatAmount } from '../src/planning/formulation/describe';
const ref = { g: new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 }), t: new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 }), s: new Intl.NumberFormat('en-US', { maximumSignificantDigits: 4 }) };
const intl = (x: number) => { const a = Math.abs(x); return a >= 100 ? ref.g.format(x) : a >= 1 ? ref.t.format(x) : ref.s.format(x); };
const xs = Array.from({ length: 100000 }, (_, i) => Math.exp(Math.sin(i) * 8) * (i % 7 === 0 ? -1 : 1));
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e3; };
for (let r = 0; r < 4; r++) {
  let c = cpu(); let s = 0;
  for (const x of xs) s += formatAmount(x).length;
  const a = cpu() - c; c = cpu();
  for (const x of xs) s += intl(x).length;
  const b = cpu() - c; c = cpu();
  for (const x of xs) s += String(x).length;
  console.log('ours ms', a.toFixed(0), 'intl ms', b.toFixed(0), 'String ms', (cpu() - c).toFixed(0));
}
