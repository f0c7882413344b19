import { formatAmount } from '../src/planning/formulation/describe';
const ref = { g: new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 }), t: new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 }), s: new Intl.NumberFormat('en-US', { maximumSignificantDigits: 4 }) };
const intl = (x: number) => { const a = Math.abs(x); return a >= 100 ? ref.g.format(x) : a >= 1 ? ref.t.format(x) : ref.s.format(x); };
let bad = 0; const dv = new DataView(new ArrayBuffer(8));
const tries: number[] = [0, -0, 1, -1, 100, 99.995, 99.994999, 0.99995, 0.999949, 1.005, 1.125, -1.125, 2.5, 100.5, -100.5, 1e15, 999999999999999.5, 1e-6, 9.9995e-7, 0.5, 1e21, NaN, Infinity, -Infinity, 123456789.5, 0.00012345];
for (let i = 0; i < 2e6; i++) {
  const kind = i % 4;
  let x: number;
  if (kind === 0) x = (Math.random() - 0.5) * 10 ** Math.floor(Math.random() * 24 - 8);
  else if (kind === 1) x = Math.round((Math.random() - 0.5) * 10 ** Math.floor(Math.random() * 8)) / 10 ** Math.floor(Math.random() * 5) + (Math.random() < 0.5 ? 0.005 : 0.5) * (Math.random() < 0.5 ? 1 : -1);
  else if (kind === 2) { dv.setUint32(0, (Math.random() * 2 ** 32) >>> 0); dv.setUint32(4, (Math.random() * 2 ** 32) >>> 0); x = dv.getFloat64(0); }
  else x = Math.round(Math.random() * 1e6) / 2 ** Math.floor(Math.random() * 20);
  tries.push(x);
}
for (const x of tries) { const a = formatAmount(x), b = intl(x); if (a !== b) { if (bad++ < 20) console.log('DIFF', x, JSON.stringify(a), JSON.stringify(b)); } }
console.log('checked', tries.length, 'bad', bad);
