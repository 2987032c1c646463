// Tests the streaming waveform windower: counts, padding, chunking invariance, hop > window.
import { describe, expect, it } from 'vitest';
import { WaveformWindower, paddedWindowLength, windowCountForSamples } from './waveformWindower.ts';

function run(samples: Float32Array, W: number, H: number, chunk: number): Float32Array[] {
  const out: Float32Array[] = [];
  const w = new WaveformWindower(W, H, (x) => out.push(x));
  for (let i = 0; i < samples.length; i += chunk) w.push(samples.subarray(i, i + chunk));
  w.finish();
  return out;
}

describe('WaveformWindower', () => {
  const ramp = Float32Array.from({ length: 1000 }, (_, i) => i + 1);

  it('pads like YAMNet: one window minimum, then whole hops', () => {
    expect(paddedWindowLength(0, 100, 40)).toBe(100);
    expect(paddedWindowLength(100, 100, 40)).toBe(100);
    expect(paddedWindowLength(101, 100, 40)).toBe(140);
    expect(windowCountForSamples(15600, 15600, 7680)).toBe(1);
    expect(windowCountForSamples(48000, 15600, 7680)).toBe(6);
  });

  it('window i is samples [i·hop, i·hop + window) with zeros past the end, whatever the chunking', () => {
    for (const [W, H] of [
      [100, 40],
      [64, 64],
      [50, 120],
      [7, 3],
    ] as const) {
      const ref = run(ramp, W, H, 1000);
      expect(ref.length).toBe(windowCountForSamples(ramp.length, W, H));
      ref.forEach((win, i) => {
        for (let k = 0; k < W; k++) expect(win[k]).toBe(ramp[i * H + k] ?? 0);
      });
      for (const chunk of [1, 7, 128, 333]) expect(run(ramp, W, H, chunk)).toEqual(ref);
    }
  });

  it('rejects a bad window or hop', () => {
    expect(() => new WaveformWindower(0, 1, () => undefined)).toThrow(RangeError);
    expect(() => new WaveformWindower(10, 0.5, () => undefined)).toThrow(RangeError);
  });
});
