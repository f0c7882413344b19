// Which of HiGHS's Wasm functions V8 optimises as soon as the module is compiled, instead of once they have run hot.
//
// Why: a process's first exact LP ran HiGHS's crossover and simplex on V8's baseline code (Liftoff) until its
// optimising compiles (TurboFan) caught up. In the HiGHS worker at 10⁴ columns of the general LP, after the bench's
// tiny solves (CPU ms of that thread, load 13–15): crossover 159–175 and simplex 204–232 in the first solve, against
// 97–119 and 102–131 in the next; V8's tiering budget did not change that (1.8·10⁶ to 1.8·10⁹ alike), nor did eager
// baseline compilation. A few functions take most of HiGHS's time there (two of them half of it). V8 reads a
// "compilationHints" section (behind --experimental-wasm-compilation-hints, set only around HiGHS's compile in
// highs-instance.ts): one byte per function, and for the hottest ones it asks for the optimised code at once,
// compiled on V8's background threads while the module's baseline code is made lazily as before. That compile then
// happens when HiGHS's module is compiled (once per process: ahead of PDLP when the HiGHS thread is prepared, see
// prepareHighsThread, or at the first HiGHS solve), not during the first large solve. Measured in one fresh process
// each (CPU s, load 14–15): the first solve at 10⁴ columns after the tiny solves 1.09 and 1.33 without hints, 0.82
// and 0.85 with the 24 hottest of one profile hinted (nearly these 23), 0.79 with the 72 that take 90 % of the
// samples; the CPU before it (module compile and tiny solves) 1.42–1.46, 1.65, 2.17–2.22. So 23, whose optimised
// compile costs about 0.2 s.
//
// The indices belong to one build of highs.wasm (highs-js 1.15), recognised by its SHA-256; any other build is
// compiled without hints. scripts/highs-hot-functions.ts lists them again (profiled on warmUpLp(), 3,000 columns,
// not on the bench's LP).
import { createHash } from 'node:crypto';
import { uleb } from '../sparse/leb128';

/** SHA-256 of the highs.wasm that HIGHS_HOT_FUNCTIONS were measured on. */
export const HIGHS_WASM_SHA256 = '528be4365bea1d4188988646b244263f50320df55782e14d6af5bce7cd45c840';

/**
 * Function indices (imports counted) of highs.wasm with at least 1 % of the crossover's and simplex's samples each
 * (the union of two runs of scripts/highs-hot-functions.ts: 21 each, 19 in both; about 65 % of the samples).
 */
export const HIGHS_HOT_FUNCTIONS: readonly number[] = [
  27, 30, 55, 491, 524, 537, 609, 612, 723, 726, 760, 761, 770, 771, 934, 935, 938, 946, 961, 1413, 1507,
  1973, 3689,
];

/**
 * The hint byte (V8's WasmCompilationHint): bits 0–1 the strategy (3: baseline lazily, optimised code eagerly),
 * bits 2–3 the baseline tier (1: Liftoff), bits 4–5 the top tier (2: TurboFan). 0 leaves a function to V8.
 */
export const EAGER_TOP_TIER = 3 | (1 << 2) | (2 << 4);

const CUSTOM = 0;
const IMPORT = 2;
const FUNCTION = 3;
const CODE = 10;

function readUleb(bytes: Uint8Array, at: number): { value: number; next: number } {
  let value = 0;
  let shift = 0;
  let next = at;
  for (;;) {
    const byte = bytes[next++];
    if (byte === undefined) throw new Error('truncated LEB128');
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if ((byte & 0x80) === 0) return { value, next };
  }
}

/** Skips one import's description (after its two names); returns where the next import starts. */
function skipImport(bytes: Uint8Array, at: number): { next: number; isFunction: boolean } {
  const kind = bytes[at];
  let next = at + 1;
  const skipLimits = () => {
    const flags = bytes[next++] ?? 0;
    next = readUleb(bytes, next).next;
    if ((flags & 1) !== 0) next = readUleb(bytes, next).next;
  };
  if (kind === 0) next = readUleb(bytes, next).next;
  else if (kind === 1) {
    next++; // the table's element type
    skipLimits();
  } else if (kind === 2) skipLimits();
  else if (kind === 3)
    next += 2; // value type and mutability
  else if (kind === 4)
    next = readUleb(bytes, next + 1).next; // attribute and type
  else throw new Error(`unknown import kind ${kind}`);
  return { next, isFunction: kind === 0 };
}

/** Where the code section starts, and how many functions the module imports and declares. */
export function moduleLayout(bytes: Uint8Array): { codeAt: number; imported: number; declared: number } {
  let at = 8;
  let imported = 0;
  let declared = 0;
  while (at < bytes.length) {
    const id = bytes[at];
    const { value: size, next: payload } = readUleb(bytes, at + 1);
    if (id === CODE) return { codeAt: at, imported, declared };
    if (id === IMPORT) {
      let { value: count, next } = readUleb(bytes, payload);
      for (; count > 0; count--) {
        for (let names = 0; names < 2; names++) {
          const length = readUleb(bytes, next);
          next = length.next + length.value;
        }
        const skipped = skipImport(bytes, next);
        next = skipped.next;
        if (skipped.isFunction) imported++;
      }
    } else if (id === FUNCTION) declared = readUleb(bytes, payload).value;
    at = payload + size;
  }
  throw new Error('the module has no code section');
}

/**
 * `bytes` with a "compilationHints" section before its code section (where V8 looks for it): `hint` for each of
 * `functions` (indices counting imports; imported ones are skipped), 0 for the rest.
 */
export function withCompilationHints(
  bytes: Uint8Array,
  functions: readonly number[],
  hint: number = EAGER_TOP_TIER,
): Uint8Array<ArrayBuffer> {
  const { codeAt, imported, declared } = moduleLayout(bytes);
  const hints = new Uint8Array(declared);
  for (const f of functions) if (f >= imported && f - imported < declared) hints[f - imported] = hint;
  const name = [...new TextEncoder().encode('compilationHints')];
  const payload = [...uleb(name.length), ...name, ...uleb(declared), ...hints];
  const section = [CUSTOM, ...uleb(payload.length), ...payload];
  const out = new Uint8Array(bytes.length + section.length);
  out.set(bytes.subarray(0, codeAt));
  out.set(section, codeAt);
  out.set(bytes.subarray(codeAt), codeAt + section.length);
  return out;
}

/** HiGHS's module bytes with HIGHS_HOT_FUNCTIONS hinted, or null if they are not the build those were measured on. */
export function hintedHighs(bytes: Uint8Array): Uint8Array<ArrayBuffer> | null {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  return sha256 === HIGHS_WASM_SHA256 ? withCompilationHints(bytes, HIGHS_HOT_FUNCTIONS) : null;
}
