// java.util.Random, bit for bit: RCTab breaks ties at random with it, from the seed in the configuration.

const MULTIPLIER = 0x5deece66dn;
const ADDEND = 0xbn;
const MASK = (1n << 48n) - 1n;

export class JavaRandom {
  private seed: bigint;

  /** Like `new Random(seed)`: the seed is any 64-bit integer. */
  constructor(seed: bigint | number) {
    this.seed = (BigInt.asIntN(64, BigInt(seed)) ^ MULTIPLIER) & MASK;
  }

  /** The next `bits` pseudo-random bits as a signed 32-bit integer, like `Random.next(bits)`. */
  next(bits: number): number {
    this.seed = (this.seed * MULTIPLIER + ADDEND) & MASK;
    return Number(BigInt.asIntN(32, this.seed >> BigInt(48 - bits)));
  }

  nextInt(bound?: number): number {
    if (bound === undefined) return this.next(32);
    if (!Number.isInteger(bound) || bound <= 0) throw new RangeError('bound must be positive');
    let r = this.next(31);
    const m = bound - 1;
    if ((bound & m) === 0) return Number((BigInt(bound) * BigInt(r)) >> 31n);
    // Rejection as Java does it, including its 32-bit overflow test.
    for (let u = r; ((u - (r = u % bound) + m) | 0) < 0; u = this.next(31));
    return r;
  }

  nextDouble(): number {
    return (this.next(26) * 2 ** 27 + this.next(27)) * 2 ** -53;
  }
}

/** Collections.shuffle(list, random): the same permutation Java produces for the same seed. */
export function javaShuffle<T>(list: T[], random: JavaRandom): T[] {
  for (let i = list.length; i > 1; i--) {
    const j = random.nextInt(i);
    const a = list[i - 1] as T;
    list[i - 1] = list[j] as T;
    list[j] = a;
  }
  return list;
}

/** Java's String.compareTo: UTF-16 code units, which is also JavaScript's default string order. */
export function javaCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Java's String.hashCode (32-bit, over UTF-16 code units). */
export function javaStringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

/**
 * The iteration order of `new HashSet<>(list)` in Java: RCTab's "previous round counts" tie-break
 * falls back to a random pick from a list in this order, so reproducing its seeded choice needs it.
 */
export function javaHashSetOrder(list: readonly string[]): string[] {
  const wanted = Math.max(Math.trunc(list.length / 0.75) + 1, 16);
  let capacity = 1;
  while (capacity < wanted) capacity *= 2;
  const buckets = new Map<number, string[]>();
  const seen = new Set<string>();
  for (const s of list) {
    if (seen.has(s)) continue;
    seen.add(s);
    const h = javaStringHash(s);
    const index = (h ^ (h >>> 16)) & (capacity - 1);
    const bucket = buckets.get(index);
    if (bucket) bucket.push(s);
    else buckets.set(index, [s]);
  }
  return [...buckets.entries()].sort((a, b) => a[0] - b[0]).flatMap(([, b]) => b);
}
