// Audio references written by `earshot project`: percent-encoded path segments (a backslash is a name character, not a separator), --audio-base URLs that never resolve outside the base, entries whose path climbs out of it marked in the report; real processes for the end-to-end case.
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NATIVE_MANIFEST_FILE } from '../src/dataset/formats/native.ts';
import { writeSyntheticWav } from '../scripts/lib/genWav.ts';
import { REPORT_FILE, audioBaseUrl } from './project.ts';
import { verifyDataset } from './verify.ts';

describe('audioBaseUrl', () => {
  const base = 'https://cdn.example/audio';
  it('percent-encodes each segment (backslash, %, #, ?, space) and stays under the base', () => {
    expect(audioBaseUrl(base, 'in/back\\slash.wav')).toEqual({ url: 'https://cdn.example/audio/in/back%5Cslash.wav' });
    expect(audioBaseUrl(`${base}/`, 'a b/100%#1?.wav')).toEqual({
      url: 'https://cdn.example/audio/a%20b/100%25%231%3F.wav',
    });
    // An absolute input path goes under the base as it is.
    expect(audioBaseUrl(base, '/data/x.wav')).toEqual({ url: 'https://cdn.example/audio/data/x.wav' });
    expect(audioBaseUrl(base, 'a/./b/../c.wav')).toEqual({ url: 'https://cdn.example/audio/a/c.wav' });
  });

  it('refuses a path that climbs out of the base', () => {
    for (const p of ['../in/x.wav', 'a/../../x.wav', '..']) {
      const r = audioBaseUrl(base, p);
      expect(r, p).toEqual({ problem: expect.stringMatching(/climbs out of --audio-base/) });
    }
  });
});

const BIN = fileURLToPath(new URL('../bin/earshot.mjs', import.meta.url));

function earshot(args: string[], cwd: string): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stderr })));
}

describe('earshot project audio references', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'earshot-project-'));
    await mkdir(join(root, 'in'), { recursive: true });
    await mkdir(join(root, 'work'), { recursive: true });
    await writeSyntheticWav({
      path: join(root, 'in', 'back\\slash.wav'),
      sampleRateHz: 16000,
      channels: 1,
      bits: 16,
      durationSec: 1.5,
      seed: 1,
    });
    await writeSyntheticWav({
      path: join(root, 'in', 'plain #1.wav'),
      sampleRateHz: 16000,
      channels: 1,
      bits: 16,
      durationSec: 1.5,
      seed: 2,
    });
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('a file named back\\slash.wav gets a reference that verify finds', async () => {
    const e = await earshot(['embed', 'in', '--out', 'rel', '--model', 'builtin', '--quiet'], root);
    expect(e.code, e.stderr).toBe(0);
    const v = await verifyDataset(join(root, 'rel'), { audioRoot: root });
    expect(v.problems).toEqual([]);
    expect(v.checked.audioFiles).toBe(2);
  }, 60_000);

  it('--audio-base with ../ inputs: no URL outside the base; the entries are marked in the report and the log', async () => {
    const e = await earshot(
      [
        'embed',
        '../in',
        '--out',
        'based',
        '--model',
        'builtin',
        '--quiet',
        '--audio-base',
        'https://cdn.example/audio',
      ],
      join(root, 'work'),
    );
    expect(e.code, e.stderr).toBe(0);
    expect(e.stderr).toMatch(
      /warning: 2 files get no audio URL: their paths climb out of --audio-base \(\.\.\/in\/back\\slash\.wav, /,
    );
    const dir = join(root, 'work', 'based');
    const ds = (await verifyDataset(dir)).dataset!;
    expect(ds.files.audio).toEqual([null, null]);
    const report = JSON.parse(await readFile(join(dir, REPORT_FILE), 'utf8')) as {
      unlinkedAudio: { path: string; reason: string }[];
    };
    expect(report.unlinkedAudio.map((u) => u.path)).toEqual(['../in/back\\slash.wav', '../in/plain #1.wav']);

    // From the folder above, the same files are under the base, encoded.
    const ok = await earshot(
      [
        'embed',
        'in',
        '--out',
        'work/based2',
        '--model',
        'builtin',
        '--quiet',
        '--audio-base',
        'https://cdn.example/audio/',
      ],
      root,
    );
    expect(ok.code, ok.stderr).toBe(0);
    const t2 = await readFile(join(root, 'work', 'based2', NATIVE_MANIFEST_FILE), 'utf8');
    expect(t2).toContain('https://cdn.example/audio/in/back%5Cslash.wav');
    expect(t2).toContain('https://cdn.example/audio/in/plain%20%231.wav');
  }, 90_000);
});
