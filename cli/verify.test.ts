// `earshot verify` on hostile manifests: blob, sprite and audio paths out of the dataset folder (also through links), FIFOs, a device, a column inside a huge file; each refused with a problem naming the entry, never read past its declared bytes.
import { execFileSync, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NATIVE_MANIFEST_FILE, buildNativeDataset } from '../src/dataset/formats/native.ts';
import { encodePngRgba } from '../src/dataset/formats/png.ts';
import { encodeWav } from '../src/dsp/wav.ts';
import { verifyDataset } from './verify.ts';

let root: string;
let ds: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'earshot-verify-'));
  ds = join(root, 'dataset');
});
afterEach(() => rm(root, { recursive: true, force: true }));

const wav = (sec: number): Uint8Array => encodeWav([new Float32Array(Math.round(sec * 16000)).fill(0.1)], 16000, 16);

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A two-file dataset with PNG sprite pages and audio beside it (audio/a.wav, audio/b.wav); `edit` changes the manifest. */
async function writeDataset(edit: (m: Json) => void = () => undefined): Promise<void> {
  const geometry = { cellWidthPx: 4, cellHeightPx: 4, pageWidthPx: 8, pageHeightPx: 8 };
  const built = buildNativeDataset({
    name: 'hostile',
    granularity: 'file',
    files: [
      { path: 'a.wav', durationSec: 1, sampleRateHz: 16000, channels: 1, audio: { url: 'audio/a.wav' } },
      { path: 'b.wav', durationSec: 2, sampleRateHz: 16000, channels: 1, audio: { url: 'audio/b.wav' } },
    ],
    points: [
      { fileIndex: 0, startSec: 0, endSec: 1, label: 'x' },
      { fileIndex: 1, startSec: 0, endSec: 2, label: null },
    ],
    positions: Float32Array.from([0, 1, 2, 3, 4, 5]),
    sprites: {
      kind: 'rgba',
      mime: 'image/png',
      geometry,
      pages: [new Uint8ClampedArray(8 * 8 * 4).fill(200)],
      encode: (rgba, w, h) => encodePngRgba(rgba, w, h),
    },
  });
  for (const [path, bytes] of built.files) {
    await mkdir(join(ds, path, '..'), { recursive: true });
    await writeFile(join(ds, path), bytes);
  }
  await mkdir(join(ds, 'audio'), { recursive: true });
  await writeFile(join(ds, 'audio/a.wav'), wav(1));
  await writeFile(join(ds, 'audio/b.wav'), wav(2));
  const manifest = JSON.parse(await readFile(join(ds, NATIVE_MANIFEST_FILE), 'utf8')) as Json;
  edit(manifest);
  await writeFile(join(ds, NATIVE_MANIFEST_FILE), JSON.stringify(manifest));
}

/** Sets the audio URL of file 0 (the urls table is inline in a dataset this small). */
const audioUrl =
  (url: string) =>
  (m: Json): void => {
    m['files']['audio']['urls']['values'][0] = url;
  };

/** `earshot verify` in a child process, killed after `limitMs` (a FIFO hung the old one). */
async function verifyCli(args: string[], limitMs = 30_000): Promise<{ code: number | null; stderr: string }> {
  const bin = fileURLToPath(new URL('../bin/earshot.mjs', import.meta.url));
  const child = spawn(process.execPath, [bin, 'verify', ...args], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), limitMs);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearTimeout(timer);
  return { code, stderr };
}

describe('earshot verify on hostile manifests', () => {
  it('a sane dataset verifies', async () => {
    await writeDataset();
    const r = await verifyDataset(ds);
    expect(r.problems).toEqual([]);
    expect(r.checked).toEqual({ blobs: 11, spritePages: 1, audioFiles: 2 });
  });

  it('a column path out of the folder (../../dev/zero, an outside file) is refused unread', async () => {
    await writeDataset((m) => {
      m['points']['positions']['path'] = `${'../'.repeat(12)}dev/zero`;
      m['points']['startSec']['path'] = '../secret.bin';
    });
    await writeFile(join(root, 'secret.bin'), 'x'.repeat(12345));
    const r = await verifyDataset(ds);
    expect(r.ok).toBe(false);
    expect(r.problems[0]).toMatch(/^blob .*dev\/zero: outside the dataset folder/);
    const all = r.problems.join('\n');
    expect(all).not.toContain('12345'); // the outside file's size is never printed: it is never opened
  });

  it('a sprite page that is a FIFO, or a link out of the folder, is refused without hanging', async () => {
    await writeDataset((m) => {
      m['sprites']['pages'][0]['path'] = 'sprites/pipe.png';
    });
    execFileSync('mkfifo', [join(ds, 'sprites/pipe.png')]);
    const fifo = await verifyCli([ds]);
    expect(fifo.code).toBe(1);
    expect(fifo.stderr).toMatch(/problem: blob sprites\/pipe\.png: a FIFO \(named pipe\), not a regular file/);

    await rm(join(ds, 'sprites/pipe.png'));
    await writeFile(join(root, 'page.png'), 'outside');
    await symlink('../../page.png', join(ds, 'sprites/pipe.png'));
    const r = await verifyDataset(ds);
    expect(r.problems[0]).toMatch(/^blob sprites\/pipe\.png: leads outside the dataset folder/);
  }, 60_000);

  it('a column inside a huge (sparse) file: only its declared bytes are read', async () => {
    await writeDataset();
    const m = JSON.parse(await readFile(join(ds, NATIVE_MANIFEST_FILE), 'utf8')) as Json;
    const positions = join(ds, m['points']['positions']['path'] as string);
    await truncate(positions, 3 * 1024 ** 3); // beyond what a whole-file read takes (2 GiB)
    const r = await verifyDataset(ds);
    expect(r.problems).toEqual([]);
  });

  it('audio out of the folder is refused unless --audio-root covers it; links and FIFOs are caught', async () => {
    await writeFile(join(root, 'outside.wav'), wav(1));
    await writeDataset(audioUrl('../outside.wav'));
    const r = await verifyDataset(ds);
    expect(r.problems).toEqual([
      expect.stringMatching(/^audio of a\.wav: \.\.\/outside\.wav: outside the dataset folder .*--audio-root/),
    ]);
    expect(r.checked.audioFiles).toBe(1);
    const wide = await verifyDataset(ds, { audioRoot: root });
    expect(wide.problems).toEqual([]);
    expect(wide.checked.audioFiles).toBe(2);
    const cli = await verifyCli([ds, '--audio-root', root]);
    expect(cli.stderr).toMatch(/earshot verify: ok/);

    // Inside by its path, outside by its link.
    await writeDataset(audioUrl('audio/link.wav'));
    await symlink('../../outside.wav', join(ds, 'audio/link.wav'));
    expect((await verifyDataset(ds)).problems).toEqual([
      expect.stringMatching(/^audio of a\.wav: audio\/link\.wav: leads outside the dataset folder/),
    ]);

    await writeDataset(audioUrl('audio/pipe.wav'));
    execFileSync('mkfifo', [join(ds, 'audio/pipe.wav')]);
    const fifo = await verifyCli([ds]);
    expect(fifo.code).toBe(1);
    expect(fifo.stderr).toContain('problem: audio of a.wav: audio/pipe.wav: a FIFO (named pipe), not a regular file');

    await rm(join(ds, 'audio/pipe.wav'));
    await writeDataset(audioUrl(`${'../'.repeat(12)}dev/zero`));
    expect((await verifyDataset(ds, { audioRoot: '/' })).problems).toEqual([
      expect.stringMatching(/^audio of a\.wav: .*dev\/zero: a character device, not a regular file/),
    ]);
  }, 90_000);

  it('an audio range is read within its declared bytes', async () => {
    // Two WAVs packed in one file; file 1 is the second, at its offset.
    const a = wav(1);
    const b = wav(2);
    const packed = new Uint8Array(a.length + b.length);
    packed.set(a);
    packed.set(b, a.length);
    await writeDataset((m) => {
      m['files']['audio']['urls']['values'][1] = 'audio/packed.bin';
    });
    await writeFile(join(ds, 'audio/packed.bin'), packed);
    // The offset and length columns are float64 [2]: rewrite them with the range of file 1.
    const m = JSON.parse(await readFile(join(ds, NATIVE_MANIFEST_FILE), 'utf8')) as Json;
    const { createHash } = await import('node:crypto');
    for (const [key, value] of [
      ['byteOffset', a.length],
      ['byteLength', b.length],
    ] as const) {
      const spec = m['files']['audio'][key] as Json;
      const bytes = new Uint8Array(new Float64Array([0, value]).buffer);
      await writeFile(join(ds, spec['path'] as string), bytes);
      spec['sha256'] = createHash('sha256').update(bytes).digest('hex');
    }
    await writeFile(join(ds, NATIVE_MANIFEST_FILE), JSON.stringify(m));
    const r = await verifyDataset(ds);
    expect(r.problems).toEqual([]);
    expect(r.checked.audioFiles).toBe(2);
  });
});
