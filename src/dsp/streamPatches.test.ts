import { describe, expect, it } from 'vitest';
import { mixdown } from './mixdown.ts';
import { resampleAll } from './resample.ts';
import { samplesPatches, streamWavPatches } from './streamPatches.ts';
import { encodeWav, parseWav } from './wav.ts';
import { bytesSource, readWavInfo } from './wavStream.ts';
import { PATCH_VALUES, computePatches } from './yamnetFrontend.ts';
import { DESCRIPTOR_COUNT, YAMNET_DESCRIPTOR_WINDOWING, computeWindowDescriptors } from './descriptors.ts';
import { BandPass } from './bandpass.ts';

const RATE = 22050;
/** 500 Hz + 4 kHz, stereo, 3.3 s. */
const channels = [0, 1].map((c) =>
  Float32Array.from(
    { length: Math.round(RATE * 3.3) },
    (_, i) =>
      0.3 * Math.sin((2 * Math.PI * 500 * i) / RATE) + (0.2 - c * 0.05) * Math.sin((2 * Math.PI * 4000 * i) / RATE),
  ),
);

async function streamed(
  bandHz: { lowHz: number; highHz: number } | null,
): Promise<{ patches: Float32Array; descriptors: Float32Array; count: number }> {
  const wav = encodeWav(channels, RATE, 16);
  const source = bytesSource(wav);
  const info = await readWavInfo(source);
  const parts: { p: Float32Array; d: Float32Array }[] = [];
  const r = await streamWavPatches(source, info, {
    blockFrames: 4097,
    patchesPerBatch: 3,
    bandHz,
    onPatches: (_f, n, p, d) => parts.push({ p: p.slice(0, n * PATCH_VALUES), d: d.slice(0, n * DESCRIPTOR_COUNT) }),
  });
  const patches = new Float32Array(r.patchCount * PATCH_VALUES);
  const descriptors = new Float32Array(r.patchCount * DESCRIPTOR_COUNT);
  let at = 0;
  for (const { p, d } of parts) {
    patches.set(p, at * PATCH_VALUES);
    descriptors.set(d, at * DESCRIPTOR_COUNT);
    at += p.length / PATCH_VALUES;
  }
  return { patches, descriptors, count: r.patchCount };
}

describe('streamed features: descriptors and band focus', () => {
  const decoded = parseWav(encodeWav(channels, RATE, 16));
  const wave16k = resampleAll(mixdown(decoded.channels), RATE, 16000);

  it('each patch comes with its window descriptors, equal to a whole-signal computation on the 16 kHz stream', async () => {
    const s = await streamed(null);
    expect(s.descriptors).toEqual(computeWindowDescriptors(wave16k, YAMNET_DESCRIPTOR_WINDOWING, s.count));
    expect(s.patches).toEqual(computePatches(wave16k).patches);
  });

  it('a band is applied to the 16 kHz stream before log-mel and descriptors; samplesPatches gives the same as the WAV path', async () => {
    const band = { lowHz: 2000, highHz: 7000 };
    const s = await streamed(band);
    const filtered = wave16k.slice();
    new BandPass(band, 16000).process(filtered);
    expect(s.patches).toEqual(computePatches(filtered).patches);
    expect(s.descriptors).toEqual(computeWindowDescriptors(filtered, YAMNET_DESCRIPTOR_WINDOWING, s.count));
    // The 500 Hz tone is gone: centroids move from between the tones to ≈ 4 kHz.
    expect(Math.abs(s.descriptors[1]! - 4000)).toBeLessThan(100);
    const parts: Float32Array[] = [];
    const r = samplesPatches(decoded.channels, RATE, {
      blockFrames: 1000,
      bandHz: band,
      onPatches: (_f, n, p) => parts.push(p.slice(0, n * PATCH_VALUES)),
    });
    expect(r.patchCount).toBe(s.count);
    const all = new Float32Array(r.patchCount * PATCH_VALUES);
    let at = 0;
    for (const p of parts) {
      all.set(p, at);
      at += p.length;
    }
    expect(all).toEqual(s.patches);
  });
});
