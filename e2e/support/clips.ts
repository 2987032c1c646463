// Generates a small labelled folder of test clips (one folder per class) in many WAV encodings, rates
// and channel counts, plus one corrupt and one empty file. Node side; nothing here is committed audio.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeWav } from '../../src/dsp/wav.ts';
import { createRng } from '../../src/lib/prng.ts';

type Kind = 'tones' | 'noise' | 'pulses';
const ENCODINGS: { bits: 8 | 16 | 24 | 32 | 64; float: boolean }[] = [
  { bits: 16, float: false },
  { bits: 24, float: false },
  { bits: 8, float: false },
  { bits: 32, float: true },
  { bits: 32, float: false },
  { bits: 64, float: true },
];
const RATES_HZ = [16000, 22050, 44100, 48000, 96000, 8000];

function synth(kind: Kind, variant: number, rateHz: number, durationSec: number, seed: number): Float32Array {
  const n = Math.round(rateHz * durationSec);
  const out = new Float32Array(n);
  const rng = createRng(seed);
  for (let i = 0; i < n; i++) {
    const t = i / rateHz;
    if (kind === 'tones') {
      const f = 440 * (1 + variant * 0.25);
      out[i] = 0.4 * Math.sin(2 * Math.PI * f * t) + 0.2 * Math.sin(2 * Math.PI * 2 * f * t) + 0.01 * (rng() - 0.5);
    } else if (kind === 'noise') {
      out[i] = 0.3 * (rng() * 2 - 1);
    } else {
      // Clicks at 8–11 Hz: a pulse train like an insect's stridulation.
      const rate = 8 + variant;
      const phase = (t * rate) % 1;
      out[i] = phase < 0.02 ? 0.8 * Math.sin(2 * Math.PI * 3000 * t) : 0.005 * (rng() - 0.5);
    }
  }
  return out;
}

export interface ClipSet {
  dir: string;
  good: number;
  bad: string[];
  classes: Kind[];
}

/** Writes `perClass` clips per class into dir/<class>/, plus two bad files in dir/broken/. */
export function writeClipSet(dir: string, perClass = 4): ClipSet {
  rmSync(dir, { recursive: true, force: true });
  const classes: Kind[] = ['tones', 'noise', 'pulses'];
  let k = 0;
  for (const kind of classes) {
    mkdirSync(join(dir, kind), { recursive: true });
    for (let v = 0; v < perClass; v++, k++) {
      const enc = ENCODINGS[k % ENCODINGS.length]!;
      const rateHz = RATES_HZ[k % RATES_HZ.length]!;
      const mono = synth(kind, v, rateHz, 2 + (v % 3) * 0.7, 1000 + k);
      // Every other clip is stereo (the right channel slightly quieter): the app must mix to mono.
      const channels = v % 2 === 1 ? [mono, mono.map((x) => x * 0.8)] : [mono];
      writeFileSync(join(dir, kind, `${kind}-${v}.wav`), encodeWav(channels, rateHz, enc.bits, enc.float));
    }
  }
  mkdirSync(join(dir, 'broken'), { recursive: true });
  writeFileSync(
    join(dir, 'broken', 'garbage.wav'),
    Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919) % 251),
  );
  const empty = encodeWav([new Float32Array(0)], 44100, 16);
  writeFileSync(join(dir, 'broken', 'empty.wav'), empty);
  writeFileSync(join(dir, 'notes.txt'), 'not audio');
  return { dir, good: perClass * classes.length, bad: ['broken/garbage.wav', 'broken/empty.wav'], classes };
}
