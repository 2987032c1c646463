// NumPy .npy v1.0 writer for float32 matrices ('<f4', C order); pure, no DOM.

/** Bytes of an .npy v1.0 file holding `values` as a little-endian float32 array of shape (rows, cols). */
export function encodeNpyF32(values: Float32Array, rows: number, cols: number): Uint8Array {
  if (values.length !== rows * cols) throw new Error(`npy: ${values.length} values is not ${rows} × ${cols}`);
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${rows}, ${cols}), }`;
  // Magic (6) + version (2) + header length (2) + header, padded with spaces and a final newline to a multiple of 64.
  const total = Math.ceil((10 + header.length + 1) / 64) * 64;
  header = header.padEnd(total - 10 - 1, ' ') + '\n';
  const out = new Uint8Array(total + values.length * 4);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0); // \x93NUMPY, v1.0
  const dv = new DataView(out.buffer);
  dv.setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  for (let i = 0; i < values.length; i++) dv.setFloat32(total + i * 4, values[i]!, true);
  return out;
}

/** Reads back what encodeNpyF32 writes (for tests and round trips): shape and values. */
export function decodeNpyF32(bytes: Uint8Array): { rows: number; cols: number; values: Float32Array } {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes[0] !== 0x93 || String.fromCharCode(...bytes.subarray(1, 6)) !== 'NUMPY') throw new Error('npy: bad magic');
  const len = dv.getUint16(8, true);
  const header = String.fromCharCode(...bytes.subarray(10, 10 + len));
  if (!header.includes("'<f4'")) throw new Error('npy: not <f4');
  const m = /'shape': \((\d+), (\d+)\)/.exec(header);
  if (!m) throw new Error('npy: no 2-D shape');
  const rows = Number(m[1]);
  const cols = Number(m[2]);
  const values = new Float32Array(rows * cols);
  for (let i = 0; i < values.length; i++) values[i] = dv.getFloat32(10 + len + i * 4, true);
  return { rows, cols, values };
}
