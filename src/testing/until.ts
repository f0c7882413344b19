// Waiting in tests for what another process brings about (a federation node, a worker): the outcome is
// asserted, never the time it took; the deadline only turns a hang into a failure that says what it last saw.

/** Polls `get` every 200 ms until `ok` holds, for at most 40 s; the error names `what` and the last value. */
export async function until<T>(what: string, get: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  const deadline = Date.now() + 40_000;
  let last = await get();
  while (!ok(last)) {
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 200));
    last = await get();
  }
  return last;
}
