// Fuzz test for parseWav: mutated headers of valid WAVs (every encoding) must give audio or a typed WavError, fast and within a memory bound.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeWav, parseWav, WavError, type WavErrorCode } from './wav.ts';

const CODES: readonly WavErrorCode[] = [
  'E_WAV_NOT_RIFF',
  'E_WAV_NOT_WAVE',
  'E_WAV_NO_FMT',
  'E_WAV_BAD_FMT',
  'E_WAV_UNSUPPORTED',
  'E_WAV_NO_DATA',
  'E_WAV_EMPTY',
  'E_WAV_TRUNCATED',
  'E_WAV_BAD_CHUNK',
];
const ENCODINGS = [
  { bits: 8, float: false },
  { bits: 16, float: false },
  { bits: 24, float: false },
  { bits: 32, float: false },
  { bits: 32, float: true },
  { bits: 64, float: true },
] as const;
/** Per-case wall-clock bound: parsing a file of a few hundred bytes takes microseconds; this only catches loops. */
const CASE_BOUND_MS = 250;
/** Each decoded sample is a 4-byte float made from at least one stored byte. */
const BYTES_OUT_PER_BYTE_IN = 4;
const RUNS_PER_PROPERTY = 20_000;

interface Base {
  encoding: number;
  extensible: boolean;
  channels: number;
  frames: number;
}

type Mutation =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'byte'; at: number; value: number }
  | { kind: 'u16'; at: number; value: number }
  | { kind: 'size'; chunk: number; value: number }
  | { kind: 'truncate'; keep: number }
  | { kind: 'insert'; chunk: number; id: string; declared: number | null; body: number };

function build(base: Base): Uint8Array {
  const enc = ENCODINGS[base.encoding]!;
  const channels = Array.from({ length: base.channels }, (_, c) =>
    Float32Array.from({ length: base.frames }, (_, i) => Math.sin(0.3 * i + c) * 0.9),
  );
  return encodeWav(channels, 8000 + base.frames * 100, enc.bits, enc.float, { extensible: base.extensible });
}

/** Offsets of the chunk headers after "WAVE", walked as laid out (sizes as declared, padded). */
function chunkOffsets(bytes: Uint8Array): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: number[] = [];
  for (let at = 12; at + 8 <= bytes.length && out.length < 8;) {
    out.push(at);
    const size = view.getUint32(at + 4, true);
    at += 8 + size + (size & 1);
  }
  return out;
}

function mutate(input: Uint8Array, m: Mutation): Uint8Array {
  const bytes = input.slice();
  const view = new DataView(bytes.buffer);
  const head = Math.min(64, bytes.length);
  switch (m.kind) {
    case 'flip':
      if (head > 0) bytes[m.at % head]! ^= 1 << m.bit;
      return bytes;
    case 'byte':
      if (head > 0) bytes[m.at % head] = m.value;
      return bytes;
    case 'u16':
      if (head >= 2) view.setUint16((m.at % (head - 1)) & ~1, m.value, true);
      return bytes;
    case 'size': {
      // The RIFF size (index 0) or a chunk's size field.
      const offsets = [0, ...chunkOffsets(bytes)];
      const at = offsets[m.chunk % offsets.length]! + 4;
      if (at + 4 <= bytes.length) view.setUint32(at, m.value, true);
      return bytes;
    }
    case 'truncate':
      return bytes.slice(0, m.keep % (bytes.length + 1));
    case 'insert': {
      const offsets = [...chunkOffsets(bytes), bytes.length];
      const at = Math.min(bytes.length, offsets[m.chunk % offsets.length]!);
      const chunk = new Uint8Array(8 + m.body);
      const cv = new DataView(chunk.buffer);
      for (let i = 0; i < 4; i++) chunk[i] = m.id.charCodeAt(i) & 0xff;
      cv.setUint32(4, m.declared ?? m.body, true);
      for (let i = 0; i < m.body; i++) chunk[8 + i] = (i * 37 + 11) & 0xff;
      const out = new Uint8Array(bytes.length + chunk.length);
      out.set(bytes.subarray(0, at), 0);
      out.set(chunk, at);
      out.set(bytes.subarray(at), at + chunk.length);
      return out;
    }
  }
}

const baseArb: fc.Arbitrary<Base> = fc.record({
  encoding: fc.integer({ min: 0, max: ENCODINGS.length - 1 }),
  extensible: fc.boolean(),
  channels: fc.integer({ min: 1, max: 3 }),
  frames: fc.integer({ min: 0, max: 40 }),
});

// Sizes that break readers: 0, odd, off by one, sign bit, "unknown length" markers, anything.
const sizeArb = fc.oneof(
  fc.constantFrom(
    0,
    1,
    2,
    3,
    7,
    15,
    16,
    17,
    18,
    39,
    40,
    41,
    0x7fffffff,
    0x80000000,
    0xfffffff0,
    0xfffffffe,
    0xffffffff,
  ),
  fc.integer({ min: 0, max: 256 }),
  fc.integer({ min: 0, max: 0xffffffff }),
);
const u16Arb = fc.oneof(
  fc.constantFrom(0, 1, 2, 3, 6, 7, 0x55, 0x1234, 0xfffe, 0xffff, 8, 16, 24, 32, 64),
  fc.integer({ min: 0, max: 0xffff }),
);
const idArb = fc.oneof(
  fc.constantFrom('fmt ', 'data', 'LIST', 'junk', 'fact', 'RIFF', 'WAVE', '\0\0\0\0'),
  fc.string({ minLength: 4, maxLength: 4 }),
);

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(63), bit: fc.nat(7) }),
  fc.record({ kind: fc.constant('byte' as const), at: fc.nat(63), value: fc.nat(255) }),
  fc.record({ kind: fc.constant('u16' as const), at: fc.nat(63), value: u16Arb }),
  fc.record({ kind: fc.constant('size' as const), chunk: fc.nat(7), value: sizeArb }),
  fc.record({ kind: fc.constant('truncate' as const), keep: fc.nat(2000) }),
  fc.record({
    kind: fc.constant('insert' as const),
    chunk: fc.nat(7),
    id: idArb,
    declared: fc.option(sizeArb, { nil: null }),
    body: fc.nat(24),
  }),
);

let cases = 0;
let decoded = 0;
const errorsByCode = new Map<string, number>();

/** The whole contract: audio that respects the real size, or a typed error; never slow. */
function check(bytes: Uint8Array): void {
  cases++;
  const t0 = performance.now();
  // Time the parse on both paths (the bound holds for errors too), then judge the outcome.
  let result: ReturnType<typeof parseWav> | null = null;
  let error: unknown = null;
  try {
    result = parseWav(bytes);
  } catch (err) {
    error = err;
  }
  const ms = performance.now() - t0;
  if (ms > CASE_BOUND_MS) throw new Error(`parseWav took ${ms.toFixed(0)} ms on ${bytes.length} bytes`);
  if (result === null) {
    const err = error;
    if (!(err instanceof WavError)) throw new Error(`parseWav threw a non-WavError: ${String(err)}`, { cause: err });
    if (!CODES.includes(err.code)) throw new Error(`unknown WavError code ${err.code}`, { cause: err });
    if (err.message.length === 0) throw new Error('WavError without a message', { cause: err });
    errorsByCode.set(err.code, (errorsByCode.get(err.code) ?? 0) + 1);
    return;
  }
  decoded++;
  const { channels, frameCount, dataBytes, declaredDataBytes, sampleRateHz } = result;
  if (channels.length === 0 || frameCount <= 0 || sampleRateHz <= 0)
    throw new Error('audio without channels, frames or rate');
  // Allocation bound from the real size: a declared size may never buy memory the file does not back.
  const outBytes = channels.reduce((n, ch) => n + ch.byteLength, 0);
  if (outBytes > BYTES_OUT_PER_BYTE_IN * bytes.length)
    throw new Error(`${outBytes} bytes of audio from a ${bytes.length}-byte file`);
  if (dataBytes > bytes.length || dataBytes > declaredDataBytes)
    throw new Error(`dataBytes ${dataBytes} trusts more than the file holds`);
  if (frameCount * channels.length > dataBytes) throw new Error('more samples than data bytes');
  if (result.truncated !== declaredDataBytes > dataBytes) throw new Error('truncated flag disagrees with the sizes');
  for (const ch of channels) {
    if (ch.length !== frameCount) throw new Error('channel length differs from frameCount');
    for (const x of ch) {
      if (!Number.isFinite(x)) throw new Error('non-finite sample returned');
      if (result.encoding === 'pcm' && Math.abs(x) > 1) throw new Error(`PCM sample ${x} out of [-1, 1]`);
    }
  }
}

describe('parseWav fuzz', () => {
  const params = { numRuns: RUNS_PER_PROPERTY } as const;

  it('survives 1–4 mutations of the header region, chunk sizes, truncation and inserted chunks', () => {
    fc.assert(
      fc.property(baseArb, fc.array(mutationArb, { minLength: 1, maxLength: 4 }), (base, muts) => {
        check(muts.reduce(mutate, build(base)));
      }),
      params,
    );
  });

  it('survives random chunk sizes on every chunk of every encoding', () => {
    fc.assert(
      fc.property(
        baseArb,
        fc.array(fc.tuple(fc.nat(7), sizeArb), { minLength: 1, maxLength: 3 }),
        fc.nat(4000),
        (base, sizes, keep) => {
          let bytes = build(base);
          for (const [chunk, value] of sizes) bytes = mutate(bytes, { kind: 'size', chunk, value });
          check(bytes);
          check(mutate(bytes, { kind: 'truncate', keep }));
        },
      ),
      params,
    );
  });

  it('ran at least 10,000 cases', () => {
    // Vitest runs the tests of a file in order, so this sees the count of the two above.
    expect(cases).toBeGreaterThanOrEqual(10_000);
    // A fuzz that only ever hits one early error would prove little: both outcomes must be common.
    expect(decoded).toBeGreaterThan(cases / 10);
    expect(errorsByCode.size).toBeGreaterThanOrEqual(6);
    console.info(
      `parseWav fuzz: ${cases} cases, ${decoded} decoded, errors ${JSON.stringify(Object.fromEntries(errorsByCode))}`,
    );
  });
});
