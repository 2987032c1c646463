// Reads little-endian float32 files (../shared's reference vectors) for Node-side tests and scripts; never imported by browser code.
import { readFileSync } from 'node:fs';

/** The file's float32 values (copied: a Buffer's byteOffset need not be 4-aligned). */
export function readF32(path: string): Float32Array {
  const b = readFileSync(path);
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}
