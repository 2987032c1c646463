// End-to-end tests of the `earshot` command (real processes): n shard processes (argument, Kubernetes and SLURM indices) + merge + project equal one process byte for byte; a run killed halfway and run again equals an uninterrupted run; per-file errors; the dataset verifies.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NATIVE_MANIFEST_FILE, parseNativeManifestText } from '../src/dataset/formats/native.ts';
import { encodeWav } from '../src/dsp/wav.ts';
import { writeSyntheticWav } from '../scripts/lib/genWav.ts';
import { PARTS_DIR } from './part.ts';
import { REPORT_FILE } from './project.ts';
import { verifyDataset } from './verify.ts';

const BIN = fileURLToPath(new URL('../bin/earshot.mjs', import.meta.url));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function earshot(
  args: string[],
  cwd: string,
  env: Record<string, string> = {},
): { done: Promise<Run>; kill: () => void } {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<Run>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  return { done, kill: () => child.kill('SIGKILL') };
}

async function ok(args: string[], cwd: string, env: Record<string, string> = {}): Promise<Run> {
  const r = await earshot(args, cwd, env).done;
  if (r.code !== 0) throw new Error(`earshot ${args.join(' ')} exited with ${r.code}:\n${r.stderr}`);
  return r;
}

/** Every file a dataset folder's manifest names, plus the report and the parts: path → bytes. */
async function datasetFiles(dir: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  const text = await readFile(join(dir, NATIVE_MANIFEST_FILE), 'utf8');
  out.set(NATIVE_MANIFEST_FILE, Buffer.from(text));
  const manifest = parseNativeManifestText(text, 'http://x.invalid/d/earshot-dataset.json');
  const blobs = [
    manifest.points.positions,
    manifest.points.fileIndex,
    manifest.points.startSec,
    manifest.points.endSec,
    manifest.points.label,
    manifest.files.durationSec,
    manifest.files.sampleRateHz,
    manifest.files.channels,
    ...(manifest.sprites?.pages ?? []),
  ];
  if (manifest.points.embeddings) blobs.push(manifest.points.embeddings.column);
  // Window descriptors (level, centroid, roll-off, bandwidth) travel from the parts into the dataset.
  if (manifest.points.descriptors) blobs.push(manifest.points.descriptors.column);
  for (const b of blobs) {
    const rel = b.path.replace('http://x.invalid/d/', '');
    out.set(rel, await readFile(join(dir, rel)));
  }
  out.set(REPORT_FILE, await readFile(join(dir, REPORT_FILE)));
  for (const name of (await readdir(join(dir, PARTS_DIR))).sort())
    out.set(`${PARTS_DIR}/${name}`, await readFile(join(dir, PARTS_DIR, name)));
  return out;
}

function expectSameFiles(a: Map<string, Buffer>, b: Map<string, Buffer>): void {
  expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
  for (const [k, v] of a) expect(b.get(k)!.equals(v), `${k} differs`).toBe(true);
}

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'earshot-cli-test-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

/** Labelled folders of short recordings in assorted formats, one empty WAV, one text file named .wav, one non-audio file. */
async function smallCorpus(dir: string): Promise<void> {
  const formats = [
    { sampleRateHz: 16000, channels: 1, bits: 16 },
    { sampleRateHz: 22050, channels: 2, bits: 16 },
    { sampleRateHz: 44100, channels: 1, bits: 24 },
    { sampleRateHz: 48000, channels: 2, bits: 24 },
    { sampleRateHz: 96000, channels: 1, bits: 24 },
  ] as const;
  let seed = 1;
  for (const label of ['frogs', 'birds', 'boats']) {
    await mkdir(join(dir, label), { recursive: true });
    for (let i = 0; i < 4; i++) {
      const f = formats[(seed + i) % formats.length]!;
      await writeSyntheticWav({
        path: join(dir, label, `${label}-${i}.wav`),
        ...f,
        durationSec: 1.2 + ((seed * 7) % 5),
        seed: seed++,
      });
    }
  }
  await writeFile(join(dir, 'frogs', 'empty.wav'), encodeWav([new Float32Array(0)], 16000, 16));
  await writeFile(join(dir, 'birds', 'notes.wav'), 'recorded at the pond, 6 am\n');
  await writeFile(join(dir, 'boats', 'horn.flac'), Buffer.concat([Buffer.from('fLaC'), Buffer.alloc(60)]));
  await writeFile(join(dir, 'labels.csv'), 'file,label\n');
}

describe('earshot embed/merge/project', () => {
  it('3 shard processes (i/n, JOB_COMPLETION_INDEX, SLURM_ARRAY_TASK_ID) merged and projected equal one process, byte for byte', async () => {
    const work = join(root, 'shards');
    await smallCorpus(join(work, 'corpus'));
    const single = await ok(['embed', 'corpus', '--out', 'single', '--model', 'builtin', '--quiet'], work);
    // The per-file errors: names and reasons, as the app words them; the run goes on.
    expect(single.stderr).toContain('corpus/frogs/empty.wav: no audio samples: no audio data (data chunk is empty)');
    expect(single.stderr).toContain(
      'corpus/birds/notes.wav: could not decode: the .wav file holds plain text, not audio',
    );
    expect(single.stderr).toContain('corpus/boats/horn.flac: a FLAC file: the command line reads WAV');
    expect(single.stderr).toMatch(/12 mapped, 3 failed/);

    const base = ['embed', 'corpus', '--out', 'shard-{shard}', '--model', 'builtin', '--quiet', '--json'];
    const runs = await Promise.all([
      ok([...base, '--shard', '0/3'], work),
      ok([...base, '--shard', 'auto/3'], work, { JOB_COMPLETION_INDEX: '1' }),
      ok([...base, '--shard', 'auto'], work, {
        SLURM_ARRAY_TASK_ID: '3',
        SLURM_ARRAY_TASK_MIN: '1',
        SLURM_ARRAY_TASK_COUNT: '3',
      }),
    ]);
    const assigned = runs.map((r) => (JSON.parse(r.stdout.trim()) as { assigned: number }).assigned);
    expect(assigned.reduce((a, b) => a + b, 0)).toBe(15);
    for (const i of [0, 1, 2]) {
      expect(existsSync(join(work, `shard-${i}`, 'earshot-shard.json'))).toBe(true);
      // A shard writes no dataset of its own unless asked.
      expect(existsSync(join(work, `shard-${i}`, NATIVE_MANIFEST_FILE))).toBe(false);
    }
    const merged = await ok(['merge', 'shard-0', 'shard-1', 'shard-2', '--out', 'merged'], work);
    expect(merged.stderr).toMatch(/15 files \(12 mapped, 3 failed\) from 3 folders/);
    await ok(['project', 'merged', '--quiet'], work);
    expectSameFiles(await datasetFiles(join(work, 'single')), await datasetFiles(join(work, 'merged')));

    // One point per window: the same again, and the dataset opens as the app opens it.
    await ok(['project', 'single', '--granularity', 'window', '--embeddings', 'float32', '--quiet'], work);
    await ok(['project', 'merged', '--granularity', 'window', '--embeddings', 'float32', '--quiet'], work);
    expectSameFiles(await datasetFiles(join(work, 'single')), await datasetFiles(join(work, 'merged')));
    // The dataset's audio references point at the corpus beside it: verify reads audio only inside the root it is given.
    const v = await verifyDataset(join(work, 'merged'), { audioRoot: work });
    expect(v.problems).toEqual([]);
    expect(v.dataset!.manifest.granularity).toBe('window');
    expect(v.dataset!.manifest.points.descriptors?.names).toEqual([
      'rms_dbfs',
      'centroid_hz',
      'rolloff_hz',
      'bandwidth_hz',
    ]);
    expect(v.checked.audioFiles).toBe(12);
    expect(v.dataset!.labels.sort()).toEqual(['birds', 'boats', 'frogs']);
    const cli = await earshot(['verify', 'merged', '--audio-root', '.'], work).done;
    expect(cli.code).toBe(0);
    const fenced = await earshot(['verify', 'merged'], work).done;
    expect(fenced.code).toBe(1);
    expect(fenced.stderr).toMatch(
      /problem: audio of corpus\/birds\/birds-0\.wav: \.\.\/corpus\/birds\/birds-0\.wav: outside the dataset folder .*--audio-root/,
    );
    expect(cli.stderr).toMatch(/earshot verify: ok — \d+ points, 15 files/);
  }, 240_000);

  it('a run killed halfway and run again equals an uninterrupted run', async () => {
    const work = join(root, 'resume');
    const corpus = join(work, 'corpus', 'site');
    await mkdir(corpus, { recursive: true });
    const total = 30;
    for (let i = 0; i < total; i++) {
      await writeSyntheticWav({
        path: join(corpus, `rec-${String(i).padStart(2, '0')}.wav`),
        sampleRateHz: 48000,
        channels: 2,
        bits: 16,
        durationSec: 20,
        seed: i + 1,
      });
    }
    await ok(['embed', 'corpus', '--out', 'full', '--model', 'builtin', '--workers', '1', '--quiet'], work);

    const run = earshot(
      ['embed', 'corpus', '--out', 'resumed', '--model', 'builtin', '--workers', '1', '--quiet'],
      work,
    );
    const parts = join(work, 'resumed', PARTS_DIR);
    const count = async (): Promise<number> =>
      (await readdir(parts).catch(() => [] as string[])).filter((n) => n.endsWith('.part')).length;
    for (;;) {
      if ((await count()) >= 5) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    run.kill();
    const killed = await run.done;
    expect(killed.code).toBeNull(); // SIGKILL: no clean-up ran
    const before = await count();
    expect(before).toBeGreaterThanOrEqual(5);
    expect(before).toBeLessThan(total);
    expect(existsSync(join(work, 'resumed', NATIVE_MANIFEST_FILE))).toBe(false);

    const again = await ok(
      ['embed', 'corpus', '--out', 'resumed', '--model', 'builtin', '--workers', '1', '--quiet', '--json'],
      work,
    );
    const summary = JSON.parse(again.stdout.trim()) as { reused: number; done: number };
    expect(summary.reused).toBe(before);
    expect(summary.done).toBe(total);
    expect((await readdir(parts)).filter((n) => n.includes('.tmp-'))).toEqual([]);
    expectSameFiles(await datasetFiles(join(work, 'full')), await datasetFiles(join(work, 'resumed')));
  }, 240_000);
});
