// The readings a detection backlog row names, packed in one byte string (the row's bytea): the server stores
// the bytes as they come, where a JSON document cost it a parse and a jsonb conversion per row and the
// runner a JSON.parse on the way back. Layout, little-endian: the count n (uint32), n times (epoch ms, float64),
// n values (float64), then n source ids, each its UTF-8 byte length (uint32) and bytes. The doubles travel
// as their 64 bits, so the runner sees exactly the numbers the ingest call stored.
import type { BacklogReadings } from './detection-backlog.repository';

/** The readings of one series packed; `at` and `values` as given (the detector's order). */
export function packReadings(r: BacklogReadings): Buffer {
  const n = r.sourceIds.length;
  if (r.at.length !== n || r.values.length !== n)
    throw new Error(`packReadings: ${n} source ids but ${r.at.length} times and ${r.values.length} values`);
  let idBytes = 0;
  for (const s of r.sourceIds) idBytes += Buffer.byteLength(s, 'utf8');
  const buf = Buffer.allocUnsafe(4 + 16 * n + 4 * n + idBytes);
  buf.writeUInt32LE(n, 0);
  let o = 4;
  for (let k = 0; k < n; k++, o += 8) buf.writeDoubleLE(r.at[k] as number, o);
  for (let k = 0; k < n; k++, o += 8) buf.writeDoubleLE(r.values[k] as number, o);
  for (const s of r.sourceIds) {
    const len = buf.write(s, o + 4, 'utf8');
    buf.writeUInt32LE(len, o);
    o += 4 + len;
  }
  return buf;
}

/** The readings of a packed row; throws when the bytes are not what packReadings writes. */
export function unpackReadings(bytes: Uint8Array): BacklogReadings {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const fail = () => new Error(`unpackReadings: a packed backlog row of ${buf.length} bytes is malformed`);
  if (buf.length < 4) throw fail();
  const n = buf.readUInt32LE(0);
  if (4 + 20 * n > buf.length) throw fail();
  const at = new Array<number>(n);
  const values = new Array<number>(n);
  const sourceIds = new Array<string>(n);
  let o = 4;
  for (let k = 0; k < n; k++, o += 8) at[k] = buf.readDoubleLE(o);
  for (let k = 0; k < n; k++, o += 8) values[k] = buf.readDoubleLE(o);
  for (let k = 0; k < n; k++) {
    if (o + 4 > buf.length) throw fail();
    const len = buf.readUInt32LE(o);
    if (o + 4 + len > buf.length) throw fail();
    sourceIds[k] = buf.toString('utf8', o + 4, o + 4 + len);
    o += 4 + len;
  }
  if (o !== buf.length) throw fail();
  return { sourceIds, at, values };
}
