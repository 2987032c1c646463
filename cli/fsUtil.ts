// Small Node file-system helpers for the CLI: atomic writes (temp file + rename), JSON reads, path containment, what a special file is; no audio or model logic.
import { randomBytes } from 'node:crypto';
import type { Stats } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, relative, sep } from 'node:path';

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

/** `path` is `root` or lies below it (both absolute; no file-system access, so resolve links first for the real answer). */
export function isInside(path: string, root: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/** What a non-regular, non-folder entry is, for messages ("a FIFO (named pipe)"). */
export function specialFileKind(st: Stats): string {
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isDirectory()) return 'a folder';
  return 'a special file';
}
