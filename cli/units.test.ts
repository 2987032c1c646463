// Unit tests of the CLI's pieces: input expansion and globs, --shard parsing (argument, Kubernetes and SLURM env), shard split, PNG codec, part files.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expandInputs, glob, parseShard, selectShard, shardOfPath } from './inputs.ts';
import { LOCK_FILE, lockFolder } from './lock.ts';
import { decodePart, encodePart, partFileName } from './part.ts';
import { decodePngRgba, encodePngRgba, pngSize } from '../src/dataset/formats/png.ts';
import { ProgressBar } from './progress.ts';

describe('inputs', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'earshot-inputs-'));
    for (const p of [
      'a/x.wav',
      'a/y.WAV',
      'a/notes.txt',
      'a/.hidden.wav',
      'a/b/z.flac',
      'a/b/c/deep.wav',
      'other/o.wav',
      'other/o.mp3',
    ]) {
      await mkdir(join(dir, p, '..'), { recursive: true });
      await writeFile(join(dir, p), 'x');
    }
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('folders are read recursively (dot-named audio too, as the app does), non-audio skipped, paths as given and sorted', async () => {
    const r = await expandInputs(['a', 'other/o.wav', 'a/x.wav', 'missing'], dir);
    expect(r.files.map((f) => f.path)).toEqual([
      'a/.hidden.wav',
      'a/b/c/deep.wav',
      'a/b/z.flac',
      'a/x.wav',
      'a/y.WAV',
      'other/o.wav',
    ]);
    expect(r.skipped).toEqual([{ path: 'a/notes.txt', code: 'E_NOT_AUDIO', reason: 'not audio by its extension' }]);
    expect(r.unmatched).toEqual(['missing']);
    expect(r.files[1]!.absPath).toBe(join(dir, 'a/b/c/deep.wav'));
  });

  it('globs: *, **, ?, [..], {a,b}; a file named explicitly is taken whatever its extension', async () => {
    const here = (p: string): string => join(dir, p);
    expect(await glob(here('a/*.wav'))).toEqual([here('a/x.wav')]);
    expect(await glob(here('a/**/*.wav'))).toEqual([here('a/b/c/deep.wav'), here('a/x.wav')]);
    expect(await glob(here('{a,other}/?.wav'))).toEqual([here('a/x.wav'), here('other/o.wav')]);
    expect(await glob(here('other/o.[mw]*'))).toEqual([here('other/o.mp3'), here('other/o.wav')]);
    const r = await expandInputs(['a/**/*.{wav,flac}', 'a/notes.txt'], dir);
    expect(r.files.map((f) => f.path)).toEqual(['a/b/c/deep.wav', 'a/b/z.flac', 'a/notes.txt', 'a/x.wav']);
  });
});

describe('--shard', () => {
  it('i/n, and auto from JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID (minus its minimum; n from its count)', () => {
    expect(parseShard('2/5', {})).toEqual({ index: 2, count: 5, source: 'argument' });
    expect(parseShard('auto/4', { JOB_COMPLETION_INDEX: '3' })).toEqual({
      index: 3,
      count: 4,
      source: 'JOB_COMPLETION_INDEX',
    });
    expect(parseShard('auto/4', { SLURM_ARRAY_TASK_ID: '4', SLURM_ARRAY_TASK_MIN: '1' })).toEqual({
      index: 3,
      count: 4,
      source: 'SLURM_ARRAY_TASK_ID',
    });
    expect(parseShard('auto', { SLURM_ARRAY_TASK_ID: '0', SLURM_ARRAY_TASK_COUNT: '8' })).toEqual({
      index: 0,
      count: 8,
      source: 'SLURM_ARRAY_TASK_ID',
    });
    expect(() => parseShard('auto/4', {})).toThrow(/neither JOB_COMPLETION_INDEX/);
    expect(() => parseShard('auto', { JOB_COMPLETION_INDEX: '1' })).toThrow(/n is needed/);
    expect(() => parseShard('4/4', {})).toThrow(/not in 0…3/);
    expect(() => parseShard('1of4', {})).toThrow(/i\/n/);
  });

  it('every path lands in exactly one shard, the same whatever the input order, roughly balanced', () => {
    const paths = Array.from({ length: 2000 }, (_, i) => ({ path: `site-${i % 7}/2024-01-${i}.wav` }));
    const shards = Array.from({ length: 4 }, (_, index) => selectShard(paths, { index, count: 4, source: 'argument' }));
    expect(shards.reduce((n, s) => n + s.length, 0)).toBe(2000);
    for (const s of shards) expect(s.length).toBeGreaterThan(400);
    const reversed = selectShard([...paths].reverse(), { index: 1, count: 4, source: 'argument' });
    expect(new Set(reversed.map((p) => p.path))).toEqual(new Set(shards[1]!.map((p) => p.path)));
    expect(shardOfPath('a.wav', 1)).toBe(0);
  });
});

describe('PNG', () => {
  it('round-trips RGBA through every filter choice, with a valid header', () => {
    const w = 37;
    const h = 11;
    const rgba = new Uint8ClampedArray(w * h * 4);
    for (let i = 0; i < rgba.length; i++) rgba[i] = (i % 4 === 3 ? 255 : (i * 37) ^ (i >> 5)) & 0xff;
    // Flat rows (None/Up win) and gradients (Sub wins).
    rgba.fill(9, 0, w * 4);
    const png = encodePngRgba(rgba, w, h);
    expect(pngSize(png)).toEqual({ widthPx: w, heightPx: h });
    const back = decodePngRgba(png);
    expect(Array.from(back.rgba)).toEqual(Array.from(rgba));
    const broken = png.slice();
    broken[40] = broken[40]! ^ 1;
    expect(() => decodePngRgba(broken)).toThrow(/CRC/);
  });
});

describe('parts', () => {
  it('encode → decode, with the payload checked; names depend on the path only', () => {
    const header = {
      format: 'earshot-part' as const,
      version: 1 as const,
      path: 'a/b.wav',
      audioPath: '/x/a/b.wav',
      source: { sizeBytes: 10, mtimeMs: 5 },
      model: { id: 'm', sha256: 'f'.repeat(64) },
      status: 'done' as const,
      error: null,
      notes: ['silent: every sample is 0'],
      durationSec: 1.5,
      sampleRateHz: 8000,
      channels: 1,
      container: 'RIFF',
      bitsPerSample: 16,
      windowCount: 2,
      embeddingDim: 3,
      frameCount: 1,
    };
    const bytes = encodePart({
      header,
      embeddings: Float32Array.from([1, 2, 3, 4, 5, 6]),
      framesF16: new Uint16Array(64).fill(0x3c00),
    });
    const part = decodePart(bytes);
    expect(part.header).toMatchObject(header);
    expect(Array.from(part.embeddings)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(part.framesF16[63]).toBe(0x3c00);
    expect(part.descriptors).toBeNull();
    // With window descriptors (after the frames, covered by the SHA-256).
    const withDesc = decodePart(
      encodePart({
        header,
        embeddings: Float32Array.from([1, 2, 3, 4, 5, 6]),
        framesF16: new Uint16Array(64),
        descriptors: Float32Array.from([-20, 1000, 1500, 300, -30, NaN, NaN, NaN]),
      }),
    );
    expect(withDesc.header.descriptorCount).toBe(4);
    expect(Array.from(withDesc.descriptors!)).toEqual([-20, 1000, 1500, 300, -30, NaN, NaN, NaN]);
    expect(Array.from(withDesc.embeddings)).toEqual([1, 2, 3, 4, 5, 6]);
    const bad = bytes.slice();
    bad[bad.length - 1] = 0;
    expect(() => decodePart(bad)).toThrow(/SHA-256/);
    expect(partFileName('a/b.wav')).toBe(partFileName('a/b.wav'));
    expect(partFileName('a/b.wav')).not.toBe(partFileName('a/c.wav'));
  });
});

describe('progress', () => {
  it('shows files, audio, speed and an ETA', () => {
    const line = new ProgressBar('embed', process.stderr, false).line({
      filesDone: 3,
      filesTotal: 10,
      workDone: 50,
      workTotal: 100,
      audioSec: 600,
      failed: 1,
    });
    expect(line).toMatch(
      /^embed \[=+>?\s*\]\s+50\.0%\s+3\/10 files\s+1 failed\s+10\.0 min audio\s+\d+× real time\s+elapsed \d+:\d\d\s+ETA \d+:\d\d$/,
    );
  });
});

describe('folder lock', () => {
  it("one writer per folder; a dead holder's lock is taken over", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'earshot-lock-'));
    try {
      const release = await lockFolder(dir, 'earshot embed');
      await expect(lockFolder(dir, 'earshot merge')).rejects.toThrow(
        /being written by another run \(earshot embed, pid \d+/,
      );
      await release();
      const again = await lockFolder(dir, 'earshot embed');
      await again();
      // A killed run (no such pid on this host) leaves its lock behind: the next run takes it.
      await writeFile(
        join(dir, LOCK_FILE),
        JSON.stringify({ host: (await import('node:os')).hostname(), pid: 2 ** 22 + 12345, command: 'earshot embed' }),
      );
      const taken = await lockFolder(dir, 'earshot embed');
      await taken();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
