// PNG (the app's encoder) and verbatim FLAC (16-bit mono) encoders for test fixtures and benches; Node or browser, no I/O.
import { encodePngRgba } from '../../src/dataset/formats/png.ts';

/** Test fixtures use the app's own PNG encoder (src/dataset/formats/png.ts). */
export function encodePng(rgba: Uint8Array | Uint8ClampedArray, widthPx: number, heightPx: number): Uint8Array {
  return encodePngRgba(rgba, widthPx, heightPx);
}

class BitWriter {
  bytes: number[] = [];
  private acc = 0;
  private n = 0;
  write(value: number, bits: number): void {
    for (let i = bits - 1; i >= 0; i--) {
      this.acc = (this.acc << 1) | (Math.floor(value / 2 ** i) & 1);
      if (++this.n === 8) {
        this.bytes.push(this.acc & 0xff);
        this.acc = 0;
        this.n = 0;
      }
    }
  }
  align(): void {
    while (this.n !== 0) this.write(0, 1);
  }
}

function crc8(bytes: readonly number[]): number {
  let c = 0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 0x80 ? ((c << 1) ^ 0x07) & 0xff : (c << 1) & 0xff;
  }
  return c;
}

const CRC16_TABLE = (() => {
  const t = new Uint16Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n << 8;
    for (let k = 0; k < 8; k++) c = c & 0x8000 ? ((c << 1) ^ 0x8005) & 0xffff : (c << 1) & 0xffff;
    t[n] = c;
  }
  return t;
})();

function crc16(bytes: ArrayLike<number>, start = 0, init = 0): number {
  let c = init;
  for (let i = start; i < bytes.length; i++) c = ((c << 8) & 0xffff) ^ CRC16_TABLE[((c >> 8) ^ bytes[i]!) & 0xff]!;
  return c;
}

/** FLAC's UTF-8-like coding of the frame number. */
function utf8Number(n: number): number[] {
  if (n < 0x80) return [n];
  if (n < 0x800) return [0xc0 | (n >> 6), 0x80 | (n & 0x3f)];
  if (n < 0x10000) return [0xe0 | (n >> 12), 0x80 | ((n >> 6) & 0x3f), 0x80 | (n & 0x3f)];
  return [0xf0 | (n >> 18), 0x80 | ((n >> 12) & 0x3f), 0x80 | ((n >> 6) & 0x3f), 0x80 | (n & 0x3f)];
}

/** A valid FLAC stream of mono 16-bit samples in VERBATIM subframes (no compression: fixtures need correctness, not size). */
export function encodeFlacVerbatim(samples: Float32Array, sampleRateHz: number): Uint8Array {
  const block = 4096;
  const total = samples.length;
  const chunks: Uint8Array[] = [];
  // STREAMINFO (last metadata block).
  const si = new BitWriter();
  si.write(block, 16);
  si.write(block, 16);
  si.write(0, 24);
  si.write(0, 24);
  si.write(sampleRateHz, 20);
  si.write(0, 3); // channels − 1
  si.write(15, 5); // bits − 1
  si.write(total, 36);
  for (let i = 0; i < 16; i++) si.write(0, 8); // MD5 unknown
  chunks.push(Uint8Array.from([0x66, 0x4c, 0x61, 0x43, 0x80, 0, 0, 34, ...si.bytes]));
  for (let f = 0, start = 0; start < total; f++, start += block) {
    const n = Math.min(block, total - start);
    const w = new BitWriter();
    w.write(0x3ffe, 14);
    w.write(0, 1);
    w.write(0, 1); // fixed block size
    w.write(n === block ? 12 : 7, 4); // 4096, or 16-bit (n−1) at the end of the header
    w.write(0, 4); // sample rate from STREAMINFO
    w.write(0, 4); // mono
    w.write(4, 3); // 16 bits per sample
    w.write(0, 1);
    for (const b of utf8Number(f)) w.write(b, 8);
    if (n !== block) w.write(n - 1, 16);
    w.write(crc8(w.bytes), 8);
    const head = w.bytes;
    // Subframe header: zero bit, type VERBATIM (000001), no wasted bits → 0x02; then big-endian samples.
    const frame = new Uint8Array(head.length + 1 + n * 2 + 2);
    frame.set(head, 0);
    frame[head.length] = 0x02;
    let o = head.length + 1;
    for (let i = 0; i < n; i++, o += 2) {
      const v = Math.max(-32768, Math.min(32767, Math.round(samples[start + i]! * 32767))) & 0xffff;
      frame[o] = v >> 8;
      frame[o + 1] = v & 0xff;
    }
    const crc = crc16(frame.subarray(0, o));
    frame[o] = crc >> 8;
    frame[o + 1] = crc & 0xff;
    chunks.push(frame);
  }
  const out = new Uint8Array(chunks.reduce((a, c) => a + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
