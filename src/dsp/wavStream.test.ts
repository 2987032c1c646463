// Tests for the streaming WAV reader and streaming patches: same samples and errors as parseWav, RF64/BW64, odd chunks, 24-bit 256 kHz, patches equal the whole-file path.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mixdown } from './mixdown.ts';
import { resampleAll } from './resample.ts';
import { expectedFrameCount, expectedPatchCount, streamWavPatches } from './streamPatches.ts';
import { WavError, encodeWav, parseWav } from './wav.ts';
import { bytesSource, readWavFrames, readWavInfo, readWavSpan, sliceableSource } from './wavStream.ts';
import type { WavByteSource } from './wavStream.ts';
import { PATCH_VALUES, computePatches } from './yamnetFrontend.ts';

function tone(frames: number, rateHz: number, channels: number, seed = 1): Float32Array[] {
  let s = seed;
  return Array.from({ length: channels }, (_, c) =>
    Float32Array.from({ length: frames }, (_, i) => {
      s = (s * 1103515245 + 12345) & 0x7fffffff;
      return 0.5 * Math.sin((2 * Math.PI * (440 + 300 * c) * i) / rateHz) + 0.2 * (s / 0x7fffffff - 0.5);
    }),
  );
}

function u32(v: number): number[] {
  return [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
}
function u64(v: number): number[] {
  return [...u32(v % 2 ** 32), ...u32(Math.floor(v / 2 ** 32))];
}
function ascii(s: string): number[] {
  return [...s].map((c) => c.charCodeAt(0));
}

/** Inserts a chunk right after "WAVE" (with a pad byte when its size is odd). */
function withChunkAfterWave(wav: Uint8Array, id: string, body: Uint8Array, pad = true): Uint8Array {
  const chunk = [...ascii(id), ...u32(body.length), ...body, ...(pad && body.length % 2 === 1 ? [0] : [])];
  const out = new Uint8Array(wav.length + chunk.length);
  out.set(wav.subarray(0, 12), 0);
  out.set(chunk, 12);
  out.set(wav.subarray(12), 12 + chunk.length);
  new DataView(out.buffer).setUint32(4, out.length - 8, true);
  return out;
}

/** RIFF → RF64/BW64: ds64 first, 0xFFFFFFFF in the RIFF and data sizes (64-bit sizes in ds64). */
function toRf64(wav: Uint8Array, magic: 'RF64' | 'BW64'): Uint8Array {
  const info = parseWav(wav);
  const view = new DataView(wav.buffer, wav.byteOffset, wav.byteLength);
  let at = 12;
  let dataAt = -1;
  while (at + 8 <= wav.length) {
    if (String.fromCharCode(...wav.subarray(at, at + 4)) === 'data') {
      dataAt = at;
      break;
    }
    at += 8 + view.getUint32(at + 4, true);
  }
  const dataBytes = view.getUint32(dataAt + 4, true);
  const ds64 = new Uint8Array([...u64(wav.length + 36 - 8), ...u64(dataBytes), ...u64(info.frameCount), ...u32(0)]);
  const out = withChunkAfterWave(wav, 'ds64', ds64);
  const o = new DataView(out.buffer);
  out.set(ascii(magic), 0);
  o.setUint32(4, 0xffffffff, true);
  o.setUint32(dataAt + 36 + 4, 0xffffffff, true);
  return out;
}

/** A source that counts reads and hands out bytes in exactly the ranges asked for. */
function countingSource(bytes: Uint8Array): WavByteSource & { reads: number; maxRead: number } {
  const s = {
    sizeBytes: bytes.length,
    reads: 0,
    maxRead: 0,
    read(offset: number, n: number): Promise<Uint8Array> {
      s.reads++;
      s.maxRead = Math.max(s.maxRead, n);
      return Promise.resolve(bytes.slice(Math.min(offset, bytes.length), Math.min(offset + n, bytes.length)));
    },
  };
  return s;
}

async function streamAll(bytes: Uint8Array, blockFrames: number): Promise<Float32Array[]> {
  const source = bytesSource(bytes);
  const info = await readWavInfo(source);
  const channels = Array.from({ length: info.channelCount }, () => new Float32Array(info.frameCount));
  for await (const b of readWavFrames(source, info, { blockFrames })) {
    b.channels.forEach((ch, c) => channels[c]!.set(ch.subarray(0, b.frameCount), b.frameOffset));
  }
  return channels;
}

async function wholeVsStream(bytes: Uint8Array, blockFrames = 1000): Promise<void> {
  let whole: ReturnType<typeof parseWav> | null = null;
  let wholeErr: unknown = null;
  try {
    whole = parseWav(bytes);
  } catch (e) {
    wholeErr = e;
  }
  let streamed: Float32Array[] | null = null;
  let streamErr: unknown = null;
  try {
    streamed = await streamAll(bytes, blockFrames);
  } catch (e) {
    streamErr = e;
  }
  if (wholeErr !== null) {
    expect(streamErr, `parseWav threw ${String(wholeErr)}`).toBeInstanceOf(WavError);
    expect((streamErr as WavError).code).toBe((wholeErr as WavError).code);
    expect((streamErr as WavError).message).toBe((wholeErr as WavError).message);
    return;
  }
  expect(streamErr).toBeNull();
  expect(streamed!.length).toBe(whole!.channels.length);
  streamed!.forEach((ch, c) => expect(ch).toEqual(whole!.channels[c]));
}

const ENCODINGS = [
  { bits: 8, float: false },
  { bits: 16, float: false },
  { bits: 24, float: false },
  { bits: 32, float: false },
  { bits: 32, float: true },
  { bits: 64, float: true },
] as const;

describe('readWavInfo / readWavFrames', () => {
  it.each(ENCODINGS)(
    '$bits-bit float=$float, plain and EXTENSIBLE: the same samples as parseWav in any block size',
    async ({ bits, float }) => {
      for (const extensible of [false, true]) {
        const wav = encodeWav(tone(5003, 22050, 3), 22050, bits, float, { extensible });
        for (const blockFrames of [1, 777, 5003, 100000]) await wholeVsStream(wav, blockFrames);
        const info = await readWavInfo(bytesSource(wav));
        expect(info).toMatchObject({
          container: 'RIFF',
          sampleRateHz: 22050,
          channelCount: 3,
          frameCount: 5003,
          bitsPerSample: bits,
          truncated: false,
        });
      }
    },
  );

  it('RF64 and BW64 (ds64 sizes, 0xFFFFFFFF in the 32-bit fields): header and samples', async () => {
    const channels = tone(3001, 48000, 2);
    const wav = encodeWav(channels, 48000, 24);
    for (const magic of ['RF64', 'BW64'] as const) {
      const rf = toRf64(wav, magic);
      expect(() => parseWav(rf)).toThrow(/RF64|BW64/);
      const info = await readWavInfo(bytesSource(rf));
      expect(info).toMatchObject({
        container: magic,
        frameCount: 3001,
        channelCount: 2,
        sampleRateHz: 48000,
        declaredDataBytes: 3001 * 6,
        truncated: false,
      });
      const got = await streamAll(rf, 500);
      const ref = parseWav(wav).channels;
      got.forEach((ch, c) => expect(ch).toEqual(ref[c]));
    }
  });

  it('RF64 without ds64 first, or a 0xFFFFFFFF size ds64 does not give, is a clear error', async () => {
    const wav = encodeWav(tone(100, 8000, 1), 8000, 16);
    const bad = wav.slice();
    bad.set(ascii('RF64'), 0);
    await expect(readWavInfo(bytesSource(bad))).rejects.toThrow(/first chunk is 'fmt ', not 'ds64'/);
    const rf = toRf64(wav, 'RF64');
    const v = new DataView(rf.buffer);
    // Point the fmt chunk's size at the (empty) table.
    v.setUint32(12 + 36 + 4, 0xffffffff, true);
    await expect(readWavInfo(bytesSource(rf))).rejects.toThrow(/chunk 'fmt ' at byte 48 has no 64-bit size/);
  });

  it('skips unknown chunks, odd sizes with and without their pad byte, like parseWav', async () => {
    const wav = encodeWav(tone(999, 16000, 1), 16000, 16);
    const odd = new Uint8Array([1, 2, 3, 4, 5]);
    await wholeVsStream(withChunkAfterWave(wav, 'JUNK', odd, true));
    await wholeVsStream(withChunkAfterWave(wav, 'JUNK', odd, false));
    await wholeVsStream(
      withChunkAfterWave(withChunkAfterWave(wav, 'LIST', new Uint8Array(1001)), 'bext', new Uint8Array(602)),
    );
  });

  it('surfaces bext origination date/time and LIST-INFO ICMT (recording start metadata)', async () => {
    const wav = encodeWav(tone(999, 16000, 1), 16000, 16);
    const bext = new Uint8Array(602);
    bext.set(ascii('2024-03-05'), 320);
    bext.set(ascii('12:30:00'), 330);
    const comment = 'Recorded at 12:30:00 05/03/2024 (UTC+1) by AudioMoth';
    const icmt = [
      ...ascii('ICMT'),
      ...u32(comment.length + 1),
      ...ascii(comment),
      0,
      ...(comment.length % 2 === 0 ? [0] : []),
    ];
    const list = new Uint8Array([...ascii('INFO'), ...ascii('IART'), ...u32(3), 65, 66, 0, 0, ...icmt]);
    const info = await readWavInfo(
      bytesSource(withChunkAfterWave(withChunkAfterWave(wav, 'LIST', list), 'bext', bext)),
    );
    expect(info.metadata).toEqual({ bextDate: '2024-03-05', bextTime: '12:30:00', comment });
    expect((await readWavInfo(bytesSource(wav))).metadata).toEqual({ bextDate: null, bextTime: null, comment: null });
  });

  it('readWavSpan decodes just the frames asked for (clipped), equal to parseWav, RF64 included', async () => {
    const channels = tone(5000, 24000, 2);
    const whole = parseWav(encodeWav(channels, 24000, 24));
    for (const wav of [encodeWav(channels, 24000, 24), toRf64(encodeWav(channels, 24000, 24), 'RF64')]) {
      const info = await readWavInfo(bytesSource(wav));
      const span = await readWavSpan(bytesSource(wav), info, 1234, 777);
      expect(span.firstFrame).toBe(1234);
      expect(span.channels[1]).toEqual(whole.channels[1]!.subarray(1234, 1234 + 777));
      const tail = await readWavSpan(bytesSource(wav), info, 4900, 777);
      expect(tail.channels[0]).toEqual(whole.channels[0]!.subarray(4900));
    }
  });

  it('big chunks before the audio cost few reads; the audio is read in blocks, never whole', async () => {
    const wav = withChunkAfterWave(encodeWav(tone(200_000, 16000, 1), 16000, 16), 'JUNK', new Uint8Array(300_000));
    const source = countingSource(wav);
    const info = await readWavInfo(source);
    expect(source.reads).toBeLessThanOrEqual(3);
    let frames = 0;
    for await (const b of readWavFrames(source, info, { blockFrames: 4096 })) frames += b.frameCount;
    expect(frames).toBe(200_000);
    expect(source.maxRead).toBeLessThanOrEqual(64 * 1024);
  });

  it('the empty insect-style WAV (header, LIST, empty data) gives parseWav error', async () => {
    const empty = withChunkAfterWave(
      encodeWav([new Float32Array(0), new Float32Array(0)], 44100, 16),
      'LIST',
      new Uint8Array(46),
    );
    await expect(readWavInfo(bytesSource(empty))).rejects.toMatchObject({
      code: 'E_WAV_EMPTY',
      message: 'no audio data (data chunk is empty)',
    });
    await wholeVsStream(empty);
  });

  it('mutated files: the same samples or the same error (code and message) as parseWav', async () => {
    const bases = ENCODINGS.map(({ bits, float }, i) =>
      withChunkAfterWave(
        encodeWav(tone(37, 8000, 1 + (i % 3)), 8000, bits, float, { extensible: i % 2 === 1 }),
        'LIST',
        new Uint8Array(3 + i),
      ),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: bases.length - 1 }),
        fc.array(fc.tuple(fc.nat(120), fc.nat(255)), { maxLength: 4 }),
        fc.option(fc.nat(400), { nil: null }),
        async (b, edits, keep) => {
          let bytes = bases[b]!.slice();
          for (const [at, value] of edits) if (at < bytes.length) bytes[at] = value;
          if (keep !== null) bytes = bytes.slice(0, keep);
          await wholeVsStream(bytes, 7);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('reads a Blob through slice() (how the browser will use it over File.slice)', async () => {
    const wav = encodeWav(tone(3000, 8000, 2), 8000, 24);
    const blob = new Blob([wav.slice().buffer]);
    const source = sliceableSource(blob);
    const info = await readWavInfo(source);
    let frames = 0;
    for await (const b of readWavFrames(source, info, { blockFrames: 1000 })) {
      expect(b.channels[1]).toEqual(parseWav(wav).channels[1]!.subarray(b.frameOffset, b.frameOffset + b.frameCount));
      frames += b.frameCount;
    }
    expect(frames).toBe(3000);
  });

  it('a truncated data chunk gives what is there, flagged', async () => {
    const wav = encodeWav(tone(1000, 8000, 2), 8000, 16);
    const cut = wav.slice(0, wav.length - 101);
    const info = await readWavInfo(bytesSource(cut));
    expect(info.truncated).toBe(true);
    expect(info.frameCount).toBe(parseWav(cut).frameCount);
    await wholeVsStream(cut, 64);
  });
});

describe('streamWavPatches', () => {
  async function compare(
    channels: Float32Array[],
    rateHz: number,
    bits: 16 | 24 | 32,
    blockFrames: number,
  ): Promise<void> {
    const wav = encodeWav(channels, rateHz, bits);
    const decoded = parseWav(wav);
    const whole = computePatches(resampleAll(mixdown(decoded.channels), rateHz, 16000));
    const got = new Float32Array(whole.patchCount * PATCH_VALUES);
    let next = 0;
    const source = bytesSource(wav);
    const info = await readWavInfo(source);
    const frames: number[] = [];
    const result = await streamWavPatches(source, info, {
      blockFrames,
      patchesPerBatch: 5,
      onPatches: (first, count, data) => {
        expect(first).toBe(next);
        got.set(data.subarray(0, count * PATCH_VALUES), first * PATCH_VALUES);
        next += count;
      },
      onFrame: (_f, i) => frames.push(i),
    });
    expect(result.patchCount).toBe(whole.patchCount);
    expect(expectedPatchCount(info)).toBe(whole.patchCount);
    expect(frames.length).toBe(expectedFrameCount(info));
    expect(next).toBe(whole.patchCount);
    expect(got).toEqual(whole.patches);
  }

  it('streaming patches equal whole-file patches (44.1 kHz stereo 16-bit, odd blocks)', async () => {
    await compare(tone(44100 * 3 + 17, 44100, 2), 44100, 16, 3001);
  });

  it('24-bit 256 kHz mono (a hydrophone-style file), blocks of 65 536 and 9 999 frames', async () => {
    const channels = tone(256000 * 2 + 123, 256000, 1, 7);
    await compare(channels, 256000, 24, 65536);
    await compare(channels, 256000, 24, 9999);
  });

  it('16 kHz input needs no resampling; a file shorter than one window gives one patch', async () => {
    await compare(tone(16000 * 2, 16000, 1), 16000, 16, 4096);
    await compare(tone(1000, 22050, 2), 22050, 32, 64);
  });
});
