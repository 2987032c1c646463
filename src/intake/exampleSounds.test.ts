// Unit tests for the example map's synthetic sounds: seeded, labelled by folder, in range, each kind in its band.
import { describe, expect, it } from 'vitest';
import { EXAMPLE_KINDS, EXAMPLE_RATE_HZ, exampleClips, exampleWav } from './exampleSounds.ts';
import { stftDb } from '../dsp/stft.ts';
import { parseWav } from '../dsp/wav.ts';

describe('exampleClips', () => {
  const clips = exampleClips(4);
  it('gives perKind clips of every kind, in folders named by kind, 2–3 s long', () => {
    expect(clips).toHaveLength(4 * EXAMPLE_KINDS.length);
    for (const c of clips) {
      expect(c.path).toMatch(new RegExp(`^example/${c.kind}/${c.kind}-\\d\\d\\.wav$`));
      expect(c.samples.length / EXAMPLE_RATE_HZ).toBeGreaterThanOrEqual(2);
      expect(c.samples.length / EXAMPLE_RATE_HZ).toBeLessThanOrEqual(3);
      let peak = 0;
      for (const v of c.samples) peak = Math.max(peak, Math.abs(v));
      expect(peak).toBeGreaterThan(0.05);
      expect(peak).toBeLessThanOrEqual(1);
    }
  });
  it('is the same every time (seeded)', () => {
    const again = exampleClips(4);
    expect(again.map((c) => c.samples.slice(0, 100))).toEqual(clips.map((c) => c.samples.slice(0, 100)));
  });
  it('puts each kind in its own band', () => {
    const band: Record<string, [number, number]> = {
      crickets: [4000, 5000],
      songbird: [1900, 5100],
      frog: [400, 2000],
      whale: [60, 700],
    };
    for (const c of clips) {
      const range = band[c.kind];
      if (!range) continue;
      const { peakHz } = stftDb(c.samples, EXAMPLE_RATE_HZ);
      expect(peakHz, c.path).toBeGreaterThanOrEqual(range[0]);
      expect(peakHz, c.path).toBeLessThanOrEqual(range[1]);
    }
  });
  it('encodes as a WAV that decodes back', () => {
    const wav = exampleWav(clips[0]!);
    const back = parseWav(wav);
    expect(back.sampleRateHz).toBe(EXAMPLE_RATE_HZ);
    expect(back.channels[0]!.length).toBe(clips[0]!.samples.length);
  });
});
