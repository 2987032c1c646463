// Writes synthetic test recordings (PCM 16/24-bit, any rate and length) to disk in blocks, never holding a whole file; Node-only, for benches and CLI tests. Never commit what it writes.
import { open } from 'node:fs/promises';

export interface GenWavSpec {
  path: string;
  sampleRateHz: number;
  channels: number;
  bits: 16 | 24;
  durationSec: number;
  /** Seeds the noise and picks the sound (tones, chirps, clicks) so files differ. */
  seed: number;
}

const TABLE_SIZE = 4096;
const SINE = Float64Array.from({ length: TABLE_SIZE }, (_, i) => Math.sin((2 * Math.PI * i) / TABLE_SIZE));
/** sin(2π·cycles) from a table: generating hundreds of MB must not take a minute. */
function sinCycles(cycles: number): number {
  return SINE[Math.floor((cycles - Math.floor(cycles)) * TABLE_SIZE)]!;
}

/** A mixture that gives YAMNet something to look at: a slow chirp, pulsed tones, clicks and low noise. */
function sampleAt(t: number, c: number, seed: number, noise: number): number {
  const f0 = 200 + ((seed * 131) % 1500);
  const chirp = 0.25 * sinCycles(f0 * t + 40 * t * t * ((seed % 3) + 1) * 0.01);
  const pulse = sinCycles(0.5 * t + seed / 7) > 0.6 ? 0.3 * sinCycles((f0 * 2.3 + 100 * c) * t) : 0;
  const click = (t * (3 + (seed % 5))) % 1 < 0.002 ? 0.6 : 0;
  return chirp + pulse + click + 0.05 * noise;
}

/** Generates `spec` as a canonical PCM WAV (44-byte header); returns its size in bytes. */
export async function writeSyntheticWav(spec: GenWavSpec): Promise<number> {
  const { sampleRateHz: rate, channels, bits } = spec;
  const frames = Math.round(spec.durationSec * rate);
  const bytesPerSample = bits / 8;
  const dataBytes = frames * channels * bytesPerSample;
  const header = new DataView(new ArrayBuffer(44));
  const id = (at: number, s: string): void => {
    for (let i = 0; i < 4; i++) header.setUint8(at + i, s.charCodeAt(i));
  };
  id(0, 'RIFF');
  header.setUint32(4, 36 + dataBytes, true);
  id(8, 'WAVE');
  id(12, 'fmt ');
  header.setUint32(16, 16, true);
  header.setUint16(20, 1, true);
  header.setUint16(22, channels, true);
  header.setUint32(24, rate, true);
  header.setUint32(28, rate * channels * bytesPerSample, true);
  header.setUint16(32, channels * bytesPerSample, true);
  header.setUint16(34, bits, true);
  id(36, 'data');
  header.setUint32(40, dataBytes, true);
  const file = await open(spec.path, 'w');
  try {
    await file.write(new Uint8Array(header.buffer));
    const blockFrames = 1 << 16;
    const block = new Uint8Array(blockFrames * channels * bytesPerSample);
    let rng = (spec.seed * 2654435761) >>> 0 || 1;
    const full = 2 ** (bits - 1);
    for (let first = 0; first < frames; first += blockFrames) {
      const n = Math.min(blockFrames, frames - first);
      let o = 0;
      for (let i = 0; i < n; i++) {
        const t = (first + i) / rate;
        for (let c = 0; c < channels; c++) {
          rng ^= rng << 13;
          rng ^= rng >>> 17;
          rng ^= rng << 5;
          const noise = (rng >>> 0) / 4294967296 - 0.5;
          const q = Math.max(-full, Math.min(full - 1, Math.round(sampleAt(t, c, spec.seed, noise) * full)));
          block[o++] = q & 0xff;
          block[o++] = (q >> 8) & 0xff;
          if (bits === 24) block[o++] = (q >> 16) & 0xff;
        }
      }
      await file.write(block.subarray(0, o));
    }
  } finally {
    await file.close();
  }
  return 44 + dataBytes;
}
