/**
 * NumPy .npy files (format 1.0), float64 little-endian, C order — readable by
 * numpy.load. Only what the datasets need: write and read 1-D/2-D float64 arrays.
 */
import { InputError } from '../../input-error.js';

const MAGIC = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]); // \x93NUMPY

export class NpyError extends InputError {
  override name = 'NpyError';
}

/** Encodes `data` with the given shape as .npy bytes. */
export function encodeNpy(data: Float64Array, shape: readonly number[]): Buffer {
  const expected = shape.reduce((a, b) => a * b, 1);
  if (expected !== data.length) throw new NpyError(`shape [${shape}] needs ${expected} values, got ${data.length}`);
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '<f8', 'fortran_order': False, 'shape': ${shapeText}, }`;
  // Pad so that magic(6) + version(2) + length(2) + header ends on a 64-byte boundary, newline last.
  const unpadded = 10 + header.length + 1;
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const out = Buffer.alloc(10 + header.length + data.length * 8);
  MAGIC.copy(out, 0);
  out[6] = 1;
  out[7] = 0;
  out.writeUInt16LE(header.length, 8);
  out.write(header, 10, 'latin1');
  const body = new Float64Array(out.buffer, out.byteOffset + 10 + header.length, data.length);
  if (isLittleEndian()) body.set(data);
  else for (let i = 0; i < data.length; i++) out.writeDoubleLE(data[i], 10 + header.length + i * 8);
  return out;
}

/** Decodes .npy bytes holding a float64 little-endian C-order array. */
export function decodeNpy(bytes: Uint8Array, what = 'npy file'): { data: Float64Array; shape: number[] } {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < 10 || !buf.subarray(0, 6).equals(MAGIC)) throw new NpyError(`${what}: not a NumPy .npy file`);
  const major = buf[6];
  const headerLen = major === 1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8);
  const start = major === 1 ? 10 : 12;
  const header = buf.toString('latin1', start, start + headerLen);
  if (!/'descr':\s*'<f8'/.test(header)) throw new NpyError(`${what}: expected dtype '<f8', header ${header.trim()}`);
  if (/'fortran_order':\s*True/.test(header)) throw new NpyError(`${what}: Fortran order is not supported`);
  const m = /'shape':\s*\(([^)]*)\)/.exec(header);
  if (!m) throw new NpyError(`${what}: no shape in header`);
  const shape = m[1]
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map(Number);
  const count = shape.reduce((a, b) => a * b, 1);
  const dataStart = start + headerLen;
  if (buf.length !== dataStart + count * 8) {
    throw new NpyError(`${what}: expected ${count * 8} data bytes for shape [${shape}], found ${buf.length - dataStart} (truncated or corrupted)`);
  }
  const data = new Float64Array(count);
  for (let i = 0; i < count; i++) data[i] = buf.readDoubleLE(dataStart + i * 8);
  return { data, shape };
}

function isLittleEndian(): boolean {
  return new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
}
