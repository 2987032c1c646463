// Hostile input folders for the CLI's input expansion: symlink loops, links out of the input roots, broken links, FIFOs, folders named like audio, dotfiles; every entry is taken once, skipped with a reason, or noted.
import { execFileSync, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeSyntheticWav } from '../scripts/lib/genWav.ts';
import { expandInputs, glob } from './inputs.ts';
import type { ExpandedInputs } from './inputs.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'earshot-hostile-inputs-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

async function files(paths: string[]): Promise<void> {
  for (const p of paths) {
    await mkdir(join(dir, p, '..'), { recursive: true });
    await writeFile(join(dir, p), 'x');
  }
}

/** The expansion, or a failure after `limitMs` (the old walk never returned on a loop). */
async function expandWithin(args: string[], limitMs = 5000): Promise<ExpandedInputs> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>(
    (_, reject) =>
      (timer = setTimeout(() => reject(new Error(`expandInputs did not finish in ${limitMs} ms`)), limitMs)),
  );
  try {
    return await Promise.race([expandInputs(args, dir), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const skippedAs = (r: ExpandedInputs): Record<string, string> =>
  Object.fromEntries(r.skipped.map((s) => [s.path, s.code]));

describe('folder links', () => {
  it('two links to "." finish, each real file once, each loop noted by the link', async () => {
    await files(['a/x.wav', 'a/b/y.wav']);
    await symlink('.', join(dir, 'a/self1'));
    await symlink('.', join(dir, 'a/self2'));
    const r = await expandWithin(['a']);
    expect(r.files.map((f) => f.path)).toEqual(['a/b/y.wav', 'a/x.wav']);
    expect(r.notes.some((n) => n.includes('a/self1'))).toBe(true);
    expect(r.notes.some((n) => n.includes('a/self2'))).toBe(true);
  });

  it('sub/up -> .. reads every file once, not once per lap', async () => {
    await files(['a/x.wav', 'a/sub/y.wav']);
    await symlink('..', join(dir, 'a/sub/up'));
    const r = await expandWithin(['a']);
    expect(r.files.map((f) => f.path)).toEqual(['a/sub/y.wav', 'a/x.wav']);
    expect(r.notes.filter((n) => n.includes('a/sub/up'))).toHaveLength(1);
  });

  it('globs with ** finish on the same loops, each file once', async () => {
    await files(['a/x.wav', 'a/sub/y.wav']);
    await symlink('.', join(dir, 'a/self1'));
    await symlink('.', join(dir, 'a/self2'));
    await symlink('..', join(dir, 'a/sub/up'));
    const r = await expandWithin(['a/**/*.wav']);
    expect(r.files.map((f) => f.path)).toEqual(['a/sub/y.wav', 'a/x.wav']);
    const found = await Promise.race([
      glob(join(dir, 'a/**/*.wav')),
      new Promise<string[]>((_, reject) => setTimeout(() => reject(new Error('glob hung')), 5000)),
    ]);
    expect(found.map((p) => p.slice(dir.length + 1))).toEqual(['a/sub/y.wav', 'a/x.wav']);
  });

  it('a folder link out of the input roots is not followed (listed); file links are taken once', async () => {
    await files(['a/x.wav', 'elsewhere/z.wav', 'elsewhere/deep/w.wav']);
    await symlink('../elsewhere', join(dir, 'a/out'));
    await symlink('../elsewhere/z.wav', join(dir, 'a/z-link.wav'));
    await symlink('x.wav', join(dir, 'a/x-again.wav'));
    const r = await expandWithin(['a']);
    expect(r.files.map((f) => f.path)).toEqual(['a/x.wav', 'a/z-link.wav']);
    expect(skippedAs(r)).toMatchObject({ 'a/out': 'E_LINK_OUTSIDE', 'a/x-again.wav': 'E_SAME_FILE' });
    expect(r.skipped.find((s) => s.path === 'a/x-again.wav')!.reason).toContain('a/x.wav');
    // Given as an input itself, the target is read under its own paths; the file itself wins over a link to it.
    const both = await expandWithin(['a', 'elsewhere']);
    expect(both.files.map((f) => f.path)).toEqual(['a/x.wav', 'elsewhere/deep/w.wav', 'elsewhere/z.wav']);
    expect(skippedAs(both)['a/z-link.wav']).toBe('E_SAME_FILE');
    expect(both.notes.some((n) => n.includes('a/out') && n.includes('elsewhere'))).toBe(true);
  });
});

describe('every entry accounted for', () => {
  it('broken links, FIFOs, folders named x.wav, resource forks and hidden folders are listed with a reason', async () => {
    await files([
      'in/ok.wav',
      'in/.hidden.wav',
      'in/._ok.wav',
      'in/.DS_Store',
      'in/.git/config.wav',
      'in/notes.txt',
      'in/full.wav/inner.wav',
    ]);
    await symlink('nowhere.wav', join(dir, 'in/gone.wav'));
    await mkdir(join(dir, 'in/x.wav'));
    execFileSync('mkfifo', [join(dir, 'in/pipe.wav')]);
    const r = await expandWithin(['in']);
    // A dot-named audio file is a file like any other; a folder named like audio is read as a folder.
    expect(r.files.map((f) => f.path)).toEqual(['in/.hidden.wav', 'in/full.wav/inner.wav', 'in/ok.wav']);
    expect(skippedAs(r)).toEqual({
      'in/._ok.wav': 'E_RESOURCE_FORK',
      'in/.DS_Store': 'E_SYSTEM_FILE',
      'in/.git': 'E_HIDDEN_FOLDER',
      'in/gone.wav': 'E_BROKEN_LINK',
      'in/notes.txt': 'E_NOT_AUDIO',
      'in/pipe.wav': 'E_NOT_REGULAR',
      'in/x.wav': 'E_EMPTY_FOLDER',
    });
    for (const s of r.skipped) expect(s.reason.length).toBeGreaterThan(5);
    expect(r.skipped.find((s) => s.path === 'in/gone.wav')!.reason).toContain('nowhere.wav');
    expect(r.skipped.find((s) => s.path === 'in/pipe.wav')!.reason).toMatch(/FIFO/);
    expect(r.unmatched).toEqual([]);
  });

  it('named explicitly: a FIFO, a broken link and an empty folder are skipped with their reason, not "no such file"', async () => {
    await mkdir(join(dir, 'empty'));
    await symlink('nowhere.wav', join(dir, 'gone.wav'));
    execFileSync('mkfifo', [join(dir, 'pipe.wav')]);
    const r = await expandWithin(['pipe.wav', 'gone.wav', 'empty', 'missing.wav']);
    expect(r.files).toEqual([]);
    expect(skippedAs(r)).toEqual({ empty: 'E_EMPTY_FOLDER', 'gone.wav': 'E_BROKEN_LINK', 'pipe.wav': 'E_NOT_REGULAR' });
    expect(r.unmatched).toEqual(['missing.wav']);
  });

  it('a glob lists the broken links and FIFOs it matched', async () => {
    await files(['g/a.wav']);
    await symlink('nowhere.wav', join(dir, 'g/gone.wav'));
    execFileSync('mkfifo', [join(dir, 'g/pipe.wav')]);
    const r = await expandWithin(['g/*.wav']);
    expect(r.files.map((f) => f.path)).toEqual(['g/a.wav']);
    expect(skippedAs(r)).toEqual({ 'g/gone.wav': 'E_BROKEN_LINK', 'g/pipe.wav': 'E_NOT_REGULAR' });
  });

  it('a backslash in a file name is part of the name on POSIX, not a separator', async () => {
    await files(['in/back\\slash.wav']);
    const r = await expandWithin(['in', 'in/back\\slash.wav']);
    expect(r.files.map((f) => f.path)).toEqual(['in/back\\slash.wav']);
    expect(r.files[0]!.absPath).toBe(join(dir, 'in', 'back\\slash.wav'));
    const named = await expandWithin(['in/back\\slash.wav']);
    expect(named.files.map((f) => f.path)).toEqual(['in/back\\slash.wav']);
  });
});

describe('earshot embed on a hostile folder', () => {
  it('finishes on two links to ".", embeds each file once, and prints the loops and the skipped entries', async () => {
    await mkdir(join(dir, 'a'), { recursive: true });
    await writeSyntheticWav({
      path: join(dir, 'a/x.wav'),
      sampleRateHz: 16000,
      channels: 1,
      bits: 16,
      durationSec: 1.2,
      seed: 1,
    });
    await symlink('.', join(dir, 'a/self1'));
    await symlink('.', join(dir, 'a/self2'));
    await symlink('nowhere.wav', join(dir, 'a/gone.wav'));
    const bin = fileURLToPath(new URL('../bin/earshot.mjs', import.meta.url));
    const child = spawn(
      process.execPath,
      [bin, 'embed', 'a', '--out', 'o', '--model', 'builtin', '--quiet', '--json', '--no-project'],
      { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    clearTimeout(timer);
    expect(code, stderr).toBe(0);
    expect(stderr).toMatch(/note: a\/self1 \(a link to "\."\) is the folder a, read already/);
    expect(stderr).toMatch(/note: a\/self2 /);
    expect(stderr).toContain('skipped: a/gone.wav: a link to "nowhere.wav", which does not exist');
    expect(stderr).toMatch(
      /earshot embed: 1 mapped, 0 failed, 0 reused from an earlier run, 1 entries skipped \(0 not audio; the others listed above\)/,
    );
    const summary = JSON.parse(stdout.trim()) as {
      assigned: number;
      done: number;
      skipped: { path: string; code: string }[];
    };
    expect(summary.assigned).toBe(1);
    expect(summary.done).toBe(1);
    expect(summary.skipped).toEqual([expect.objectContaining({ path: 'a/gone.wav', code: 'E_BROKEN_LINK' })]);
  }, 90_000);
});
