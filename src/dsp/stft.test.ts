// Unit tests for the full-band STFT: a tone's peak lands in its bin at any rate, and frame counts follow the cap.
import { describe, expect, it } from 'vitest';
import { defaultFftSize, stftDb } from './stft.ts';

const tone = (hz: number, rate: number, n: number, amp = 0.5): Float32Array =>
  Float32Array.from({ length: n }, (_, i) => amp * Math.sin((2 * Math.PI * hz * i) / rate));

describe('stftDb', () => {
  it('finds a 40 kHz tone in a 256 kHz window, far above YAMNet’s band', () => {
    const s = stftDb(tone(40_000, 256_000, 245_760), 256_000);
    expect(s.fftSize).toBe(defaultFftSize(256_000));
    expect(Math.abs(s.peakHz - 40_000)).toBeLessThan(256_000 / s.fftSize);
    expect(s.frameCount).toBeLessThanOrEqual(256);
    expect(s.db.length).toBe(s.frameCount * s.binCount);
  });
  it('puts a full-scale sine near 0 dB and silence far below', () => {
    const s = stftDb(tone(1000, 16_000, 16_000, 1), 16_000, { fftSize: 512 });
    const bin = Math.round((1000 * 512) / 16_000);
    expect(s.db[bin]).toBeGreaterThan(-1.5);
    expect(s.db[bin]).toBeLessThan(0.5);
    expect(stftDb(new Float32Array(4000), 16_000).db.every((v) => v < -150)).toBe(true);
  });
  it('pads a window shorter than one FFT into one frame', () => {
    const s = stftDb(tone(500, 8000, 100), 8000, { fftSize: 256 });
    expect(s.frameCount).toBe(1);
  });
});
