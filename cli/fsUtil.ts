// Small Node file-system helpers for the CLI: atomic writes (temp file + rename), JSON reads; no audio or model logic.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, sep } from 'node:path';

/** Writes `bytes` to `path` so that readers see either the old file or the whole new one, never a part. */
export async function writeFileAtomic(path: string, bytes: Uint8Array | string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await writeFile(temp, bytes);
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}

export async function readJson(path: string): Promise<unknown> {
  return JSON.parse(await readFile(path, 'utf8')) as unknown;
}

/**
 * Path with forward slashes (for URLs and stored paths). Only the platform's separator is replaced: on POSIX a
 * backslash is part of a file name ("back\\slash.wav"), and turning it into "/" would name another file.
 */
export function toPosix(p: string, separator: string = sep): string {
  return separator === '/' ? p : p.split(separator).join('/');
}
