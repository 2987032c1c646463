// Unit tests for wav.ts: round trips, odd layouts, clear errors, the real 98-byte files in ../shared.
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasShared, sharedDir } from '../lib/sharedPaths.ts';
import { encodeWav, parseWav, WavError } from './wav.ts';

/** Samples exactly representable at `bits`, so integer round trips are exact. */
function quantisedChannels(channelCount: number, frames: number, bits: number): Float32Array[] {
  const full = 2 ** (bits - 1);
  return Array.from({ length: channelCount }, (_, c) => {
    const x = new Float32Array(frames);
    for (let i = 0; i < frames; i++) x[i] = Math.round(Math.sin(i * 0.1 + c) * 0.9 * full) / full;
    x[0] = -1; // full-scale negative survives every depth
    return x;
  });
}

function chunk(id: string, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + body.length + (body.length & 1));
  const v = new DataView(out.buffer);
  for (let i = 0; i < 4; i++) out[i] = id.charCodeAt(i);
  v.setUint32(4, body.length, true);
  out.set(body, 8);
  return out;
}

function riff(...chunks: Uint8Array[]): Uint8Array {
  const size = 4 + chunks.reduce((s, c) => s + c.length, 0);
  const out = new Uint8Array(8 + size);
  const v = new DataView(out.buffer);
  out.set([0x52, 0x49, 0x46, 0x46], 0);
  v.setUint32(4, size, true);
  out.set([0x57, 0x41, 0x56, 0x45], 8);
  let at = 12;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function fmtBody(format: number, channels: number, rate: number, bits: number): Uint8Array {
  const b = new Uint8Array(16);
  const v = new DataView(b.buffer);
  const align = (channels * bits) / 8;
  v.setUint16(0, format, true);
  v.setUint16(2, channels, true);
  v.setUint32(4, rate, true);
  v.setUint32(8, rate * align, true);
  v.setUint16(12, align, true);
  v.setUint16(14, bits, true);
  return b;
}

function expectWavError(bytes: Uint8Array, code: string, message: RegExp): void {
  let caught: unknown;
  try {
    parseWav(bytes);
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(WavError);
  expect((caught as WavError).code).toBe(code);
  expect((caught as WavError).message).toMatch(message);
}

describe('encodeWav / parseWav round trip', () => {
  it.each([8, 16, 24, 32] as const)('%i-bit PCM, stereo, odd frame count', (bits) => {
    const channels = quantisedChannels(2, 1001, bits);
    const decoded = parseWav(encodeWav(channels, 22050, bits));
    expect(decoded.sampleRateHz).toBe(22050);
    expect(decoded.frameCount).toBe(1001);
    expect(decoded.encoding).toBe('pcm');
    expect(decoded.bitsPerSample).toBe(bits);
    expect(decoded.truncated).toBe(false);
    expect(decoded.channels).toEqual(channels);
  });

  it.each([32, 64] as const)('%i-bit float, 3 channels, also as WAVE_FORMAT_EXTENSIBLE', (bits) => {
    const channels = quantisedChannels(3, 333, 24).map((c) => c.map((v) => v * 1.5)); // float may exceed ±1
    for (const extensible of [false, true]) {
      const decoded = parseWav(encodeWav(channels, 48000, bits, true, { extensible }));
      expect(decoded.encoding).toBe('float');
      expect(decoded.channels).toEqual(channels);
    }
  });

  it('reads 8-bit mono with an odd-sized data chunk (pad byte) and EXTENSIBLE PCM', () => {
    const channels = quantisedChannels(1, 7, 8);
    const bytes = encodeWav(channels, 8000, 8);
    expect(bytes.length % 2).toBe(0);
    expect(parseWav(bytes).channels).toEqual(channels);
    const ext = encodeWav(quantisedChannels(2, 10, 16), 16000, 16, false, { extensible: true });
    expect(parseWav(ext).channels).toEqual(quantisedChannels(2, 10, 16));
  });

  it('clips and rounds out-of-range input for integer depths', () => {
    const decoded = parseWav(encodeWav([Float32Array.from([2, -2, 0.5])], 16000, 16));
    expect(Array.from(decoded.channels[0]!)).toEqual([32767 / 32768, -1, 0.5]);
  });
});

describe('parseWav layout tolerance', () => {
  const pcm = new Uint8Array(new Int16Array([1000, -1000, 16384]).buffer);

  it('skips unknown chunks, odd-sized ones included, and accepts data before fmt', () => {
    const odd = chunk('junk', new Uint8Array([1, 2, 3]));
    const bytes = riff(
      odd,
      chunk('LIST', new Uint8Array(5)),
      chunk('fmt ', fmtBody(1, 1, 44100, 16)),
      odd,
      chunk('data', pcm),
    );
    const d = parseWav(bytes);
    expect(d.sampleRateHz).toBe(44100);
    expect(Array.from(d.channels[0]!)).toEqual([1000 / 32768, -1000 / 32768, 0.5]);
    const swapped = parseWav(riff(chunk('data', pcm), chunk('fmt ', fmtBody(1, 1, 8000, 16))));
    expect(swapped.frameCount).toBe(3);
  });

  it('decodes what is there when the data chunk claims more than the file holds', () => {
    const bytes = riff(chunk('fmt ', fmtBody(1, 1, 8000, 16)), chunk('data', pcm));
    const v = new DataView(bytes.buffer);
    v.setUint32(bytes.length - pcm.length - 4, 0xffffffff, true);
    const d = parseWav(bytes);
    expect(d.truncated).toBe(true);
    expect(d.frameCount).toBe(3);
  });

  it('accepts a Node Buffer view at a non-zero byte offset and an ArrayBuffer', () => {
    const bytes = encodeWav([Float32Array.from([0.5, -0.5])], 16000, 16);
    const holder = new Uint8Array(bytes.length + 3);
    holder.set(bytes, 3);
    expect(parseWav(holder.subarray(3)).frameCount).toBe(2);
    expect(parseWav(bytes.slice().buffer).frameCount).toBe(2);
  });
});

describe('parseWav errors', () => {
  it('names an empty data chunk', () => {
    expectWavError(
      riff(chunk('fmt ', fmtBody(1, 2, 44100, 16)), chunk('data', new Uint8Array(0))),
      'E_WAV_EMPTY',
      /^no audio data \(data chunk is empty\)$/,
    );
    expectWavError(
      riff(chunk('fmt ', fmtBody(1, 2, 44100, 16)), chunk('data', new Uint8Array(3))),
      'E_WAV_EMPTY',
      /less than one 4-byte frame/,
    );
  });

  it('names missing pieces and foreign formats', () => {
    expectWavError(
      new TextEncoder().encode('ID3\u0003 not audio at all'),
      'E_WAV_NOT_RIFF',
      /not a WAV file \(no RIFF header\)/,
    );
    expectWavError(new Uint8Array(4), 'E_WAV_NOT_RIFF', /too short/);
    const avi = riff();
    avi.set([0x41, 0x56, 0x49, 0x20], 8);
    expectWavError(avi, 'E_WAV_NOT_WAVE', /'AVI '/);
    expectWavError(riff(chunk('data', pcm16())), 'E_WAV_NO_FMT', /no fmt chunk/);
    expectWavError(riff(chunk('fmt ', fmtBody(1, 1, 8000, 16))), 'E_WAV_NO_DATA', /no data chunk/);
    expectWavError(
      riff(chunk('fmt ', fmtBody(0x55, 1, 8000, 16)), chunk('data', pcm16())),
      'E_WAV_UNSUPPORTED',
      /0x0055 \(MP3\)/,
    );
    expectWavError(
      riff(chunk('fmt ', fmtBody(3, 1, 8000, 16)), chunk('data', pcm16())),
      'E_WAV_UNSUPPORTED',
      /float 16-bit/,
    );
    expectWavError(riff(chunk('fmt ', fmtBody(1, 0, 8000, 16)), chunk('data', pcm16())), 'E_WAV_BAD_FMT', /0 channels/);
    expectWavError(
      riff(chunk('fmt ', new Uint8Array(10)), chunk('data', pcm16())),
      'E_WAV_BAD_FMT',
      /fmt chunk is 10 bytes/,
    );
  });

  function pcm16(): Uint8Array {
    return new Uint8Array(8);
  }
});

describe.skipIf(!hasShared())('real insect files', () => {
  const audioDir = resolve(sharedDir(), 'data/insects/audio');

  it('the 98-byte files (header, LIST, no audio) fail with a clear no-audio error', () => {
    const empty = readdirSync(audioDir).filter((f) => readFileSync(resolve(audioDir, f)).length === 98);
    expect(empty.sort()).toEqual(['2-102-G-2.wav', '2-102-H-2.wav', '2-102-I-2.wav', '2-102-J-2.wav']);
    for (const f of empty)
      expectWavError(readFileSync(resolve(audioDir, f)), 'E_WAV_EMPTY', /no audio data \(data chunk is empty\)/);
  });

  it('every other file decodes to 16-bit PCM at a listed rate', () => {
    for (const f of readdirSync(audioDir)) {
      const bytes = readFileSync(resolve(audioDir, f));
      if (bytes.length === 98) continue;
      const d = parseWav(bytes);
      expect([20000, 24000, 25000, 44100]).toContain(d.sampleRateHz);
      expect([1, 2]).toContain(d.channels.length);
      expect(d.bitsPerSample).toBe(16);
      expect(d.frameCount).toBeGreaterThan(0);
    }
  });
});
