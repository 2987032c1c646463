// The example map's sounds: a small synthetic field collection (crickets, songbird whistles, frog croaks, rain, whale
// moans), generated on the spot so it can ship with the app and be redistributed freely. Pure: no DOM, no I/O;
// seeded, so every visitor hears the same example.
import { createRng, type Rng } from '../lib/prng.ts';
import { encodeWav } from '../dsp/wav.ts';

export const EXAMPLE_RATE_HZ = 22050;
export const EXAMPLE_KINDS = ['crickets', 'songbird', 'frog', 'rain', 'whale'] as const;
export type ExampleKind = (typeof EXAMPLE_KINDS)[number];

export interface ExampleClip {
  /** "example/<kind>/<kind>-NN.wav": the folder names the label, as in a dropped folder. */
  path: string;
  kind: ExampleKind;
  samples: Float32Array;
}

const TWO_PI = 2 * Math.PI;

/** Short raised-cosine envelope on [0, 1]: no clicks at note edges. */
function envelope(x: number): number {
  if (x <= 0 || x >= 1) return 0;
  const edge = 0.1;
  if (x < edge) return 0.5 - 0.5 * Math.cos((Math.PI * x) / edge);
  if (x > 1 - edge) return 0.5 - 0.5 * Math.cos((Math.PI * (1 - x)) / edge);
  return 1;
}

function synth(kind: ExampleKind, rng: Rng, durationSec: number): Float32Array {
  const n = Math.round(durationSec * EXAMPLE_RATE_HZ);
  const out = new Float32Array(n);
  const jitter = (spread: number) => 1 + (rng() * 2 - 1) * spread;
  if (kind === 'crickets') {
    // Chirps of 4 pulses (15 ms of a 4.5 kHz carrier, 30 pulses/s), a chirp every ~0.5 s.
    const carrierHz = 4500 * jitter(0.08);
    const chirpEverySec = 0.5 * jitter(0.15);
    for (let i = 0; i < n; i++) {
      const t = i / EXAMPLE_RATE_HZ;
      const inChirp = t % chirpEverySec;
      const pulse = Math.floor(inChirp * 30);
      const inPulse = (inChirp * 30) % 1;
      const on = pulse < 4 ? envelope(inPulse / 0.45) : 0;
      out[i] = 0.5 * on * Math.sin(TWO_PI * carrierHz * t);
    }
  } else if (kind === 'songbird') {
    // Three to five whistled notes sweeping within 2–5 kHz.
    const notes = 3 + Math.floor(rng() * 3);
    let phase = 0;
    for (let k = 0; k < notes; k++) {
      const start = (k + 0.2 * rng()) * (durationSec / notes);
      const len = 0.18 + 0.12 * rng();
      const f0 = 2000 + 2500 * rng();
      const f1 = Math.min(5000, Math.max(2000, f0 + (rng() * 2 - 1) * 1500));
      const a = Math.round(start * EXAMPLE_RATE_HZ);
      const b = Math.min(n, a + Math.round(len * EXAMPLE_RATE_HZ));
      for (let i = a; i < b; i++) {
        const x = (i - a) / (b - a);
        phase += (TWO_PI * (f0 + (f1 - f0) * x)) / EXAMPLE_RATE_HZ;
        out[i] = (out[i] ?? 0) + 0.45 * envelope(x) * Math.sin(phase);
      }
    }
  } else if (kind === 'frog') {
    // Croaks: a 450–650 Hz harmonic tone pulsed at ~25 Hz, two or three per clip.
    const f = 450 + 200 * rng();
    const pulseHz = 25 * jitter(0.2);
    const croaks = 2 + Math.floor(rng() * 2);
    for (let k = 0; k < croaks; k++) {
      const a = Math.round(((k + 0.1 + 0.3 * rng()) * durationSec * EXAMPLE_RATE_HZ) / croaks);
      const b = Math.min(n, a + Math.round(0.35 * EXAMPLE_RATE_HZ));
      for (let i = a; i < b; i++) {
        const t = i / EXAMPLE_RATE_HZ;
        const am = 0.5 - 0.5 * Math.cos(TWO_PI * pulseHz * t);
        const tone =
          Math.sin(TWO_PI * f * t) + 0.5 * Math.sin(TWO_PI * 2 * f * t) + 0.25 * Math.sin(TWO_PI * 3 * f * t);
        out[i] = 0.3 * envelope((i - a) / (b - a)) * am * tone;
      }
    }
  } else if (kind === 'rain') {
    // Low-passed noise with drops: short decaying clicks at random.
    let low = 0;
    const smooth = 0.15 + 0.1 * rng();
    for (let i = 0; i < n; i++) {
      low += smooth * (rng() * 2 - 1 - low);
      out[i] = 0.35 * low;
    }
    const drops = Math.round(durationSec * (20 + 20 * rng()));
    for (let d = 0; d < drops; d++) {
      const a = Math.floor(rng() * n);
      const f = 1500 + 3000 * rng();
      for (let i = a; i < Math.min(n, a + 300); i++) {
        const t = (i - a) / EXAMPLE_RATE_HZ;
        out[i] = (out[i] ?? 0) + 0.3 * Math.exp(-t * 400) * Math.sin(TWO_PI * f * t);
      }
    }
  } else {
    // A slow moan sweeping up from ~90 Hz, with harmonics.
    const f0 = 90 * jitter(0.2);
    const f1 = f0 * (1.8 + 0.8 * rng());
    let phase = 0;
    for (let i = 0; i < n; i++) {
      const x = i / n;
      phase += (TWO_PI * (f0 + (f1 - f0) * x)) / EXAMPLE_RATE_HZ;
      const tone = Math.sin(phase) + 0.6 * Math.sin(2 * phase) + 0.3 * Math.sin(3 * phase);
      out[i] = 0.3 * envelope(x) * tone + 0.01 * (rng() * 2 - 1);
    }
  }
  // A little background hiss, as in any field recording.
  for (let i = 0; i < n; i++) out[i] = Math.max(-1, Math.min(1, (out[i] ?? 0) + 0.003 * (rng() * 2 - 1)));
  return out;
}

/** `perKind` clips of each kind, 2–3 s each, seeded: the same collection every time. */
export function exampleClips(perKind = 8, seed = 2026): ExampleClip[] {
  const rng = createRng(seed);
  const clips: ExampleClip[] = [];
  for (const kind of EXAMPLE_KINDS)
    for (let k = 0; k < perKind; k++) {
      const durationSec = 2 + rng();
      clips.push({
        path: `example/${kind}/${kind}-${String(k + 1).padStart(2, '0')}.wav`,
        kind,
        samples: synth(kind, rng, durationSec),
      });
    }
  return clips;
}

/** A clip as a 16-bit mono WAV file's bytes. */
export function exampleWav(clip: ExampleClip): Uint8Array {
  return encodeWav([clip.samples], EXAMPLE_RATE_HZ, 16, false);
}
