// Unsigned LEB128, the variable-length integers of the WebAssembly binary format: written by the sweep
// module's builder (wasm-sweep-module.ts) and read and written by the HiGHS hint section (lp/highs-hints.ts).

/** The bytes of `value` (an unsigned 32-bit integer) in unsigned LEB128. */
export function uleb(value: number): number[] {
  const out: number[] = [];
  let v = value >>> 0;
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}
