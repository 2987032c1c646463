// Writes a corpus of hostile audio files (broken WAV headers, misnamed files, odd but usable audio) with the outcome each must get. Node side; never committed audio.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { encodeWav } from '../../src/dsp/wav.ts';
import { createRng } from '../../src/lib/prng.ts';

/** A file the app must refuse, with (part of) the reason it must show. */
export interface FailureCase {
  /** Path as the app shows it: relative to the dropped folder's parent, e.g. "earshot-hostile/bad/x.wav". */
  path: string;
  message: string;
}

/** A file the app must turn into a point, with the notes (each "kind: detail", or a prefix of it) it must flag. */
export interface PointCase {
  path: string;
  notes: string[];
}

export interface BadAudioCorpus {
  dir: string;
  failures: FailureCase[];
  points: PointCase[];
}

const HUGE = 0xfffffff0;

function ascii(id: string): number[] {
  return Array.from(id, (c) => c.charCodeAt(0));
}

/** One chunk: id, declared size (defaults to the body's), body, and the pad byte for odd sizes unless told not to. */
function chunk(id: string, body: Uint8Array, opts: { declared?: number; pad?: boolean } = {}): Uint8Array {
  const pad = (opts.pad ?? true) && body.length % 2 === 1 ? 1 : 0;
  const out = new Uint8Array(8 + body.length + pad);
  out.set(ascii(id), 0);
  new DataView(out.buffer).setUint32(4, opts.declared ?? body.length, true);
  out.set(body, 8);
  return out;
}

function riff(...chunks: Uint8Array[]): Uint8Array {
  const size = 4 + chunks.reduce((n, c) => n + c.length, 0);
  const out = new Uint8Array(8 + size);
  out.set(ascii('RIFF'), 0);
  new DataView(out.buffer).setUint32(4, size, true);
  out.set(ascii('WAVE'), 8);
  let at = 12;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function fmt(format: number, channels: number, rateHz: number, bits: number): Uint8Array {
  const body = new Uint8Array(16);
  const v = new DataView(body.buffer);
  const align = (channels * bits) / 8;
  v.setUint16(0, format, true);
  v.setUint16(2, channels, true);
  v.setUint32(4, rateHz, true);
  v.setUint32(8, rateHz * align, true);
  v.setUint16(12, align, true);
  v.setUint16(14, bits, true);
  return body;
}

function tone(rateHz: number, seconds: number, freqHz = 440, amp = 0.4): Float32Array {
  return Float32Array.from(
    { length: Math.round(rateHz * seconds) },
    (_, i) => amp * Math.sin((2 * Math.PI * freqHz * i) / rateHz),
  );
}

function pcm16(samples: Float32Array): Uint8Array {
  const out = new Uint8Array(samples.length * 2);
  const v = new DataView(out.buffer);
  samples.forEach((x, i) => v.setInt16(i * 2, Math.max(-32768, Math.min(32767, Math.round(x * 32768))), true));
  return out;
}

/** Random bytes with 0xFF removed: a frame sync (0xFFEx) would let a decoder find "MP3 frames" in noise. */
function garbage(length: number, seed: number): Uint8Array {
  const rng = createRng(seed);
  return Uint8Array.from({ length }, () => Math.floor(rng() * 255));
}

export function writeBadAudio(dir: string): BadAudioCorpus {
  rmSync(dir, { recursive: true, force: true });
  for (const sub of ['bad', 'odd', 'good']) mkdirSync(join(dir, sub), { recursive: true });
  const top = basename(dir);
  const failures: FailureCase[] = [];
  const points: PointCase[] = [];
  const fail = (rel: string, bytes: Uint8Array, message: string): void => {
    writeFileSync(join(dir, rel), bytes);
    failures.push({ path: `${top}/${rel}`, message });
  };
  const point = (rel: string, bytes: Uint8Array, notes: string[] = []): void => {
    writeFileSync(join(dir, rel), bytes);
    points.push({ path: `${top}/${rel}`, notes });
  };
  const oneSecond = pcm16(tone(16000, 1));

  // --- Refused, each with a reason that names the problem.
  fail(
    'bad/truncated-no-audio.wav',
    riff(chunk('fmt ', fmt(1, 1, 44100, 16)), chunk('data', new Uint8Array(0), { declared: 441000 })),
    'truncated: header says 441000 bytes of audio, file has 0',
  );
  fail(
    'bad/cut-in-header.wav',
    encodeWav([tone(16000, 0.5)], 16000, 16).slice(0, 30),
    'could not read WAV: broken WAV header (fmt chunk declares 16 bytes, only 10 remain in the file)',
  );
  fail(
    'bad/empty-data.wav',
    riff(chunk('fmt ', fmt(1, 1, 44100, 16)), chunk('data', new Uint8Array(0))),
    'no audio samples: no audio data (data chunk is empty)',
  );
  fail(
    'bad/fmt-size-0.wav',
    riff(chunk('fmt ', new Uint8Array(0)), chunk('data', oneSecond)),
    'could not read WAV: broken WAV header (fmt chunk is 0 bytes, needs 16)',
  );
  const hugeFmt = riff(chunk('fmt ', fmt(1, 1, 16000, 16), { declared: HUGE }), chunk('data', oneSecond));
  fail(
    'bad/huge-fmt-size.wav',
    hugeFmt,
    `could not read WAV: broken WAV header (fmt chunk declares ${HUGE} bytes, only ${hugeFmt.length - 20} remain in the file)`,
  );
  const hugeList = riff(
    chunk('LIST', new Uint8Array(4), { declared: HUGE }),
    chunk('fmt ', fmt(1, 1, 16000, 16)),
    chunk('data', oneSecond),
  );
  fail(
    'bad/huge-list-size.wav',
    hugeList,
    `could not read WAV: broken WAV (chunk 'LIST' at byte 12 declares ${HUGE} bytes, only ${hugeList.length - 20} remain in the file; no fmt or data chunk before it)`,
  );
  fail(
    'bad/mp3-in-wav.wav',
    riff(chunk('fmt ', fmt(0x0055, 1, 44100, 16)), chunk('data', garbage(8000, 1))),
    'unsupported WAV encoding: format 0x0055 (MP3); only PCM and IEEE float can be read; the browser could not decode it either',
  );
  fail(
    'bad/format-0x1234.wav',
    riff(chunk('fmt ', fmt(0x1234, 1, 44100, 16)), chunk('data', garbage(8000, 2))),
    'unsupported WAV encoding: format 0x1234; only PCM and IEEE float can be read; the browser could not decode it either',
  );
  const info = new Uint8Array([...ascii('INFO'), ...ascii('INAM'), 8, 0, 0, 0, ...ascii('hostile'), 0]);
  fail(
    'bad/list-only.wav',
    riff(chunk('LIST', info)),
    "no audio samples: no audio data (no fmt or data chunk; the file holds only 'LIST')",
  );
  fail(
    'bad/text.wav',
    new TextEncoder().encode('This is a text file with a .wav name.\nIt holds no audio at all.\n'),
    'could not decode: the .wav file has no RIFF/WAVE header and holds plain text, not audio',
  );
  fail('bad/garbage.mp3', garbage(20000, 3), 'could not decode: the .mp3 file is not in a recognised audio format');
  fail(
    'bad/rate-1000hz.wav',
    riff(chunk('fmt ', fmt(1, 1, 1000, 16)), chunk('data', pcm16(tone(1000, 1, 100)))),
    'unsupported sample rate: 1000 Hz is outside 3000–768000 Hz',
  );
  fail(
    'bad/zero-channels.wav',
    riff(chunk('fmt ', fmt(1, 0, 16000, 16)), chunk('data', oneSecond)),
    'could not read WAV: broken WAV header (0 channels)',
  );
  fail(
    'bad/64-channels.wav',
    encodeWav(
      Array.from({ length: 64 }, (_, c) => tone(16000, 0.1, 200 + c * 10)),
      16000,
      16,
    ),
    'unsupported channel count: 64 channels, at most 32 can be decoded',
  );

  // --- Odd but usable: each becomes a point; the ones with something to know are flagged.
  const first1000Bytes = pcm16(tone(44100, 2)).slice(0, 1000);
  point(
    'odd/truncated.wav',
    riff(chunk('fmt ', fmt(1, 1, 44100, 16)), chunk('data', first1000Bytes, { declared: 441000 })),
    [
      'truncated: header says 441000 bytes of audio, file has 1000',
      'short: 0.01 s, shorter than one 0.96 s window; padded with silence',
    ],
  );
  const twoSeconds = pcm16(tone(44100, 2, 330));
  point(
    'odd/truncated-half.wav',
    riff(
      chunk('fmt ', fmt(1, 1, 44100, 16)),
      chunk('data', twoSeconds.slice(0, twoSeconds.length / 2), { declared: twoSeconds.length }),
    ),
    [`truncated: header says ${twoSeconds.length} bytes of audio, file has ${twoSeconds.length / 2}`],
  );
  point(
    'odd/huge-data-size.wav',
    riff(chunk('fmt ', fmt(1, 1, 16000, 16)), chunk('data', oneSecond, { declared: HUGE })),
    [`truncated: header says ${HUGE} bytes of audio, file has ${oneSecond.length}`],
  );
  point('odd/short-0.1s.wav', encodeWav([tone(22050, 0.1, 880)], 22050, 16), [
    'short: 0.10 s, shorter than one 0.96 s window; padded with silence',
  ]);
  point('odd/silent.wav', encodeWav([new Float32Array(32000)], 32000, 16), ['silent: every sample is 0']);
  const poisoned = tone(22050, 1.5, 660);
  for (let i = 0; i < 300; i++) poisoned[100 + i * 97] = [NaN, Infinity, -Infinity][i % 3]!;
  point('odd/nan-inf.wav', encodeWav([poisoned], 22050, 32, true), [
    'non-finite: 300 NaN/Infinity samples replaced by 0',
  ]);
  const junk7 = Uint8Array.from([1, 2, 3, 4, 5, 6, 7]);
  point(
    'odd/odd-chunks-padded.wav',
    riff(
      chunk('fmt ', fmt(1, 1, 16000, 16)),
      chunk('junk', junk7),
      chunk('LIST', new Uint8Array(13)),
      chunk('data', oneSecond),
    ),
  );
  // A writer that forgot the pad byte after an odd chunk: the next id sits one byte early.
  point(
    'odd/odd-chunk-unpadded.wav',
    riff(chunk('fmt ', fmt(1, 1, 16000, 16)), chunk('junk', junk7, { pad: false }), chunk('data', oneSecond)),
  );
  point(
    'odd/8-channels.wav',
    encodeWav(
      Array.from({ length: 8 }, (_, c) => tone(48000, 1.5, 220 * (c + 1), 0.1)),
      48000,
      16,
    ),
  );
  point('odd/384khz.wav', encodeWav([tone(384000, 1.2, 1000)], 384000, 24));

  // --- Plainly good files beside them.
  point('good/tone.wav', encodeWav([tone(44100, 2, 523)], 44100, 16));
  const rng = createRng(7);
  point(
    'good/noise.wav',
    encodeWav([Float32Array.from({ length: 48000 * 2 }, () => 0.3 * (rng() * 2 - 1))], 48000, 24),
  );
  const pulses = Float32Array.from({ length: 16000 * 3 }, (_, i) =>
    ((i / 16000) * 9) % 1 < 0.02 ? 0.8 * Math.sin((2 * Math.PI * 3000 * i) / 16000) : 0,
  );
  point('good/pulses.wav', encodeWav([pulses, pulses], 16000, 32, true));
  return { dir, failures, points };
}
