// Unit tests for the byte helpers: SHA-256 against Node's crypto, float16 conversion edge cases and round trips; Node only, no DOM.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  float16BitsToFloat32,
  float32ToFloat16Bits,
  packLittleEndian,
  sha256Hex,
  unpackLittleEndian,
} from './binary.ts';

describe('sha256Hex', () => {
  it('matches node:crypto across block boundaries', () => {
    for (const len of [0, 1, 3, 55, 56, 57, 63, 64, 65, 119, 120, 128, 1000, 65_537]) {
      const bytes = new Uint8Array(len);
      for (let i = 0; i < len; i++) bytes[i] = (i * 131 + 7) & 0xff;
      expect(sha256Hex(bytes), `length ${len}`).toBe(createHash('sha256').update(bytes).digest('hex'));
    }
  });
  it('hashes a subarray view, not its whole buffer', () => {
    const big = new Uint8Array(100).fill(9);
    const view = big.subarray(10, 20);
    expect(sha256Hex(view)).toBe(createHash('sha256').update(Buffer.from(view)).digest('hex'));
  });
});

describe('float16', () => {
  it('converts known values', () => {
    expect(float32ToFloat16Bits(1)).toBe(0x3c00);
    expect(float32ToFloat16Bits(-2)).toBe(0xc000);
    expect(float32ToFloat16Bits(65504)).toBe(0x7bff);
    expect(float32ToFloat16Bits(65520)).toBe(0x7c00); // rounds up to infinity
    expect(float32ToFloat16Bits(2 ** -24)).toBe(0x0001); // smallest subnormal
    expect(float32ToFloat16Bits(2 ** -25)).toBe(0x0000); // tie → even (0)
    expect(float32ToFloat16Bits(3 * 2 ** -25)).toBe(0x0002); // tie → even (2)
    expect(float32ToFloat16Bits(-0)).toBe(0x8000);
    expect(float32ToFloat16Bits(1 + 2 ** -11)).toBe(0x3c00); // tie → even
    expect(float32ToFloat16Bits(1 + 3 * 2 ** -11)).toBe(0x3c02);
    expect(float16BitsToFloat32(float32ToFloat16Bits(NaN))).toBeNaN();
    expect(float16BitsToFloat32(0x7c00)).toBe(Infinity);
  });
  it('round-trips every finite half value exactly', () => {
    for (let bits = 0; bits < 0x10000; bits++) {
      if ((bits & 0x7c00) === 0x7c00 && (bits & 0x3ff) !== 0) continue; // NaN payloads
      expect(float32ToFloat16Bits(float16BitsToFloat32(bits))).toBe(bits);
    }
  });
  it('rounds to the nearest half (relative error ≤ 2^-11 in the normal range)', () => {
    for (let i = 0; i < 2000; i++) {
      const v = (Math.sin(i * 12.9898) * 43758.5453) % 1000;
      const back = float16BitsToFloat32(float32ToFloat16Bits(v));
      expect(Math.abs(back - v)).toBeLessThanOrEqual(Math.abs(v) * 2 ** -11 + 2 ** -25);
    }
  });
});

describe('packLittleEndian / unpackLittleEndian', () => {
  it('round-trips each dtype', () => {
    const vals = [0, 1, 2, 65535, 7, 300];
    expect(Array.from(unpackLittleEndian(packLittleEndian(vals, 'uint16'), 'uint16', 6))).toEqual(vals);
    expect(Array.from(unpackLittleEndian(packLittleEndian([0, 4294967295], 'uint32'), 'uint32', 2))).toEqual([
      0, 4294967295,
    ]);
    expect(Array.from(unpackLittleEndian(packLittleEndian([-5, 5], 'int32'), 'int32', 2))).toEqual([-5, 5]);
    expect(Array.from(unpackLittleEndian(packLittleEndian([0.1, -3.5], 'float64'), 'float64', 2))).toEqual([0.1, -3.5]);
    expect(Array.from(unpackLittleEndian(packLittleEndian([0.1, -3.5], 'float32'), 'float32', 2))).toEqual([
      Math.fround(0.1),
      -3.5,
    ]);
    expect(Array.from(unpackLittleEndian(packLittleEndian([0.5, -3.5], 'float16'), 'float16', 2))).toEqual([0.5, -3.5]);
  });
  it('writes little-endian bytes', () => {
    expect(Array.from(packLittleEndian([0x0102], 'uint16'))).toEqual([0x02, 0x01]);
    expect(Array.from(packLittleEndian([1], 'float32'))).toEqual([0, 0, 0x80, 0x3f]);
  });
});
