// Standard normal draws from any uniform generator (Box–Muller), for reproducible synthetic series.

/** Returns a function drawing N(0, 1) variates from `uniform`, a generator of numbers in [0, 1). */
export function gaussianSampler(uniform: () => number): () => number {
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const s = spare;
      spare = null;
      return s;
    }
    const u = 1 - uniform();
    const v = uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
}
