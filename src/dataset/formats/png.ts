// Minimal PNG codec (8-bit RGBA, zlib via fflate): sprite pages for the CLI and test fixtures, header-only size checks for untrusted images; pure, no Node, no canvas.
import { unzlibSync, zlibSync } from 'fflate';

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] as const;

let crcTable: Uint32Array | null = null;
function crc32(bytes: Uint8Array, start: number, end: number): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = start; i < end; i++) c = crcTable[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out, 4, 8 + data.length));
  return out;
}

/**
 * Encodes RGBA pixels (row-major, widthPx × heightPx × 4) as a PNG. Each row takes whichever of the None, Sub and
 * Up filters has the smaller sum of absolute bytes (the usual heuristic); zlib level 6.
 */
export function encodePngRgba(
  rgba: Uint8Array | Uint8ClampedArray,
  widthPx: number,
  heightPx: number,
  level: 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 = 6,
): Uint8Array {
  const stride = widthPx * 4;
  if (!Number.isInteger(widthPx) || !Number.isInteger(heightPx) || widthPx < 1 || heightPx < 1)
    throw new RangeError(`PNG size ${widthPx}×${heightPx}`);
  if (rgba.length !== stride * heightPx)
    throw new RangeError(`PNG pixels: ${rgba.length} bytes for ${widthPx}×${heightPx} RGBA`);
  const raw = new Uint8Array((stride + 1) * heightPx);
  const sub = new Uint8Array(stride);
  const up = new Uint8Array(stride);
  for (let y = 0; y < heightPx; y++) {
    const row = y * stride;
    let sumNone = 0;
    let sumSub = 0;
    let sumUp = 0;
    for (let x = 0; x < stride; x++) {
      const v = rgba[row + x]!;
      const s = (v - (x >= 4 ? rgba[row + x - 4]! : 0)) & 0xff;
      const u = (v - (y > 0 ? rgba[row - stride + x]! : 0)) & 0xff;
      sub[x] = s;
      up[x] = u;
      sumNone += v < 128 ? v : 256 - v;
      sumSub += s < 128 ? s : 256 - s;
      sumUp += u < 128 ? u : 256 - u;
    }
    const at = y * (stride + 1);
    if (sumSub <= sumUp && sumSub < sumNone) {
      raw[at] = 1;
      raw.set(sub, at + 1);
    } else if (sumUp < sumNone) {
      raw[at] = 2;
      raw.set(up, at + 1);
    } else {
      raw[at] = 0;
      raw.set(rgba.subarray(row, row + stride), at + 1);
    }
  }
  const ihdr = new Uint8Array(13);
  const h = new DataView(ihdr.buffer);
  h.setUint32(0, widthPx);
  h.setUint32(4, heightPx);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const parts = [
    Uint8Array.from(SIGNATURE),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlibSync(raw, { level })),
    chunk('IEND', new Uint8Array(0)),
  ];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Size of a PNG from its IHDR, or null when the bytes are not a PNG. */
export function pngSize(bytes: Uint8Array): { widthPx: number; heightPx: number } | null {
  if (bytes.length < 33 || SIGNATURE.some((b, i) => bytes[i] !== b)) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (String.fromCharCode(...bytes.subarray(12, 16)) !== 'IHDR') return null;
  return { widthPx: view.getUint32(16), heightPx: view.getUint32(20) };
}

/** Decodes a PNG this module wrote (8-bit RGBA, filters None/Sub/Up) back to RGBA, checking every CRC. */
export function decodePngRgba(bytes: Uint8Array): { widthPx: number; heightPx: number; rgba: Uint8Array } {
  const size = pngSize(bytes);
  if (!size) throw new Error('not a PNG');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const idat: Uint8Array[] = [];
  let at = 8;
  for (;;) {
    if (at + 12 > bytes.length) throw new Error('PNG ends before IEND');
    const length = view.getUint32(at);
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    if (at + 12 + length > bytes.length) throw new Error(`PNG chunk ${type} is truncated`);
    if (crc32(bytes, at + 4, at + 8 + length) !== view.getUint32(at + 8 + length))
      throw new Error(`PNG chunk ${type} fails its CRC`);
    if (type === 'IHDR' && (bytes[at + 16] !== 8 || bytes[at + 17] !== 6)) throw new Error('PNG is not 8-bit RGBA');
    if (type === 'IDAT') idat.push(bytes.subarray(at + 8, at + 8 + length));
    at += 12 + length;
    if (type === 'IEND') break;
  }
  const zipped = new Uint8Array(idat.reduce((n, p) => n + p.length, 0));
  let z = 0;
  for (const p of idat) {
    zipped.set(p, z);
    z += p.length;
  }
  const raw = unzlibSync(zipped);
  const stride = size.widthPx * 4;
  if (raw.length !== (stride + 1) * size.heightPx)
    throw new Error(`PNG holds ${raw.length} bytes of rows, expected ${(stride + 1) * size.heightPx}`);
  const rgba = new Uint8Array(stride * size.heightPx);
  for (let y = 0; y < size.heightPx; y++) {
    const filter = raw[y * (stride + 1)]!;
    const src = y * (stride + 1) + 1;
    const row = y * stride;
    for (let x = 0; x < stride; x++) {
      const v = raw[src + x]!;
      if (filter === 0) rgba[row + x] = v;
      else if (filter === 1) rgba[row + x] = (v + (x >= 4 ? rgba[row + x - 4]! : 0)) & 0xff;
      else if (filter === 2) rgba[row + x] = (v + (y > 0 ? rgba[row - stride + x]! : 0)) & 0xff;
      else throw new Error(`PNG filter ${filter} is not one this codec writes`);
    }
  }
  return { ...size, rgba };
}
