// Unit tests for the WAV header walk and sample conversion that ranged hover audio relies on.
import { describe, expect, it } from 'vitest';
import { encodeWav } from '../dsp/wav.ts';
import { parseWavLayout, wavBytesToChannels } from './remoteAudio.ts';

describe('parseWavLayout', () => {
  it('finds the data chunk of PCM and float WAVs from their first bytes', () => {
    const ch = [
      Float32Array.from({ length: 1000 }, (_, i) => Math.sin(i / 10) * 0.5),
      Float32Array.from({ length: 1000 }, (_, i) => (i % 7) / 10),
    ];
    for (const [bits, float] of [
      [16, false],
      [24, false],
      [32, true],
      [8, false],
    ] as const) {
      const wav = encodeWav(ch, 22050, bits, float);
      const layout = parseWavLayout(wav.subarray(0, 64))!;
      expect(layout).not.toBeNull();
      expect(layout.channels).toBe(2);
      expect(layout.sampleRateHz).toBe(22050);
      expect(layout.dataBytes).toBe(1000 * 2 * (bits / 8));
      // Frames 100..199 out of the data chunk match the source within the format's precision.
      const from = layout.dataStartByte + 100 * layout.blockAlignBytes;
      const out = wavBytesToChannels(wav.subarray(from, from + 100 * layout.blockAlignBytes), layout);
      const tol = bits === 8 ? 1 / 64 : 1e-4;
      for (let i = 0; i < 100; i++) {
        expect(Math.abs(out[0]![i]! - ch[0]![100 + i]!)).toBeLessThan(tol);
        expect(Math.abs(out[1]![i]! - ch[1]![100 + i]!)).toBeLessThan(tol);
      }
    }
  });

  it('rejects what it cannot range-read', () => {
    expect(parseWavLayout(new TextEncoder().encode('fLaC and more bytes here'))).toBeNull();
    expect(parseWavLayout(new Uint8Array(8))).toBeNull();
    const wav = encodeWav([new Float32Array(10)], 8000, 16);
    expect(parseWavLayout(wav.subarray(0, 30))).toBeNull(); // header cut before the data chunk
  });
});
