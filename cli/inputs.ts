// Input selection for the CLI: expands files, folders and globs into a sorted list of audio files, and splits it into shards (i/n, or from JOB_COMPLETION_INDEX / SLURM_ARRAY_TASK_ID); no audio decoding here.
import { createHash } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import { isAbsolute, join, normalize, resolve } from 'node:path';
import { toPosix } from './fsUtil.ts';

export interface InputFile {
  /** The path as the user gave it (folder argument joined with the path inside, forward slashes). Stored in the dataset and hashed for shards. */
  path: string;
  absPath: string;
  sizeBytes: number;
  mtimeMs: number;
}

export interface ExpandedInputs {
  files: InputFile[];
  /** Files found in folders that are not audio by extension (labels.csv, README…): skipped, as the app skips them. */
  skipped: string[];
  /** Arguments that matched nothing. */
  unmatched: string[];
}

/** Extensions taken from folders and globs. A file named explicitly is always taken (and rejected later if unreadable). */
export const AUDIO_EXTENSIONS = new Set(['wav', 'wave', 'bwf', 'rf64', 'flac', 'mp3', 'ogg', 'oga', 'opus', 'm4a', 'mp4', 'aac', 'aif', 'aiff', 'aifc', 'webm', 'wma', 'caf']);

function extensionOf(p: string): string {
  const name = p.slice(p.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

const GLOB_CHARS = /[*?[{]/;

/** {a,b} alternatives expanded (not nested inside another pair's alternatives more than the text says). */
function expandBraces(pattern: string): string[] {
  const open = pattern.indexOf('{');
  if (open < 0) return [pattern];
  let depth = 0;
  for (let i = open; i < pattern.length; i++) {
    if (pattern[i] === '{') depth++;
    else if (pattern[i] === '}' && --depth === 0) {
      const inner = pattern.slice(open + 1, i);
      const alternatives: string[] = [];
      let d = 0;
      let start = 0;
      for (let j = 0; j < inner.length; j++) {
        if (inner[j] === '{') d++;
        else if (inner[j] === '}') d--;
        else if (inner[j] === ',' && d === 0) {
          alternatives.push(inner.slice(start, j));
          start = j + 1;
        }
      }
      alternatives.push(inner.slice(start));
      return alternatives.flatMap((a) => expandBraces(pattern.slice(0, open) + a + pattern.slice(i + 1)));
    }
  }
  return [pattern];
}

/** One path segment's pattern (*, ?, [...]) as a RegExp; dotfiles only match a pattern starting with a dot. */
function segmentRegExp(segment: string): RegExp {
  let re = '';
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i]!;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const close = segment.indexOf(']', i + 2);
      if (close < 0) re += '\\[';
      else {
        let body = segment.slice(i + 1, close);
        if (body.startsWith('!')) body = `^${body.slice(1)}`;
        re += `[${body.replace(/\\/g, '\\\\')}]`;
        i = close;
      }
    } else re += c.replace(/[.+^$()|\\{}]/g, '\\$&');
  }
  return new RegExp(`^${segment.startsWith('.') ? '' : '(?!\\.)'}${re}$`);
}

async function listDir(dir: string): Promise<{ name: string; isDir: boolean }[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    const out: { name: string; isDir: boolean }[] = [];
    for (const e of entries) {
      let isDir = e.isDirectory();
      if (e.isSymbolicLink()) isDir = (await stat(join(dir, e.name)).catch(() => null))?.isDirectory() ?? false;
      out.push({ name: e.name, isDir });
    }
    return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch {
    return [];
  }
}

/** Paths (as the pattern spells them) of files matching a glob: *, ?, [...], {a,b} and ** for any depth. */
export async function glob(pattern: string, cwd = process.cwd()): Promise<string[]> {
  const out = new Set<string>();
  for (const p of expandBraces(toPosix(pattern))) {
    const absolute = p.startsWith('/');
    const segments = p.split('/').filter((s, i) => s !== '' || i === 0);
    if (absolute) segments.shift();
    // Static prefix: the segments without glob characters.
    let k = 0;
    while (k < segments.length - 1 && !GLOB_CHARS.test(segments[k]!)) k++;
    const base = (absolute ? '/' : '') + segments.slice(0, k).join('/');
    await walkGlob(resolve(cwd, base === '' ? '.' : base), base, segments.slice(k), out);
  }
  return [...out].sort();
}

async function walkGlob(dirFs: string, shown: string, rest: string[], out: Set<string>): Promise<void> {
  if (rest.length === 0) return;
  const [head, ...tail] = rest as [string, ...string[]];
  const join2 = (name: string): string => (shown === '' ? name : shown.endsWith('/') ? shown + name : `${shown}/${name}`);
  if (head === '**') {
    await walkGlob(dirFs, shown, tail, out); // zero directories
    for (const e of await listDir(dirFs)) {
      if (e.isDir && !e.name.startsWith('.')) await walkGlob(join(dirFs, e.name), join2(e.name), rest, out);
    }
    return;
  }
  if (!GLOB_CHARS.test(head)) {
    const next = join(dirFs, head);
    if (tail.length === 0) {
      if ((await stat(next).catch(() => null))?.isFile()) out.add(join2(head));
    } else await walkGlob(next, join2(head), tail, out);
    return;
  }
  const re = segmentRegExp(head);
  for (const e of await listDir(dirFs)) {
    if (!re.test(e.name)) continue;
    if (tail.length === 0) {
      if (!e.isDir) out.add(join2(e.name));
    } else if (e.isDir) await walkGlob(join(dirFs, e.name), join2(e.name), tail, out);
  }
}

async function walkFolder(dirFs: string, shown: string, files: string[]): Promise<void> {
  for (const e of await listDir(dirFs)) {
    if (e.name.startsWith('.')) continue; // .DS_Store, ._AppleDouble and friends
    const child = `${shown}/${e.name}`;
    if (e.isDir) await walkFolder(join(dirFs, e.name), child, files);
    else files.push(child);
  }
}

function cleanPath(p: string): string {
  const n = toPosix(normalize(p));
  return n.length > 1 && n.endsWith('/') ? n.slice(0, -1) : n;
}

/** Expands arguments (files, folders read recursively, globs) relative to `cwd`; sorted by path, duplicates removed. */
export async function expandInputs(args: readonly string[], cwd = process.cwd()): Promise<ExpandedInputs> {
  const taken = new Map<string, boolean>(); // path → named explicitly
  const unmatched: string[] = [];
  for (const arg of args) {
    const asPath = isAbsolute(arg) ? arg : resolve(cwd, arg);
    const st = await stat(asPath).catch(() => null);
    if (st?.isDirectory()) {
      const found: string[] = [];
      await walkFolder(asPath, cleanPath(arg), found);
      for (const f of found) if (!taken.has(f)) taken.set(f, false);
      if (found.length === 0) unmatched.push(arg);
    } else if (st?.isFile()) {
      taken.set(cleanPath(arg), true);
    } else if (GLOB_CHARS.test(arg)) {
      const found = await glob(toPosix(arg), cwd);
      for (const f of found) if (!taken.has(cleanPath(f))) taken.set(cleanPath(f), false);
      if (found.length === 0) unmatched.push(arg);
    } else unmatched.push(arg);
  }
  const files: InputFile[] = [];
  const skipped: string[] = [];
  for (const [path, explicit] of taken) {
    if (!explicit && !AUDIO_EXTENSIONS.has(extensionOf(path))) {
      skipped.push(path);
      continue;
    }
    const absPath = isAbsolute(path) ? path : resolve(cwd, path);
    const st = await stat(absPath).catch(() => null);
    if (!st?.isFile()) continue;
    files.push({ path, absPath, sizeBytes: st.size, mtimeMs: Math.floor(st.mtimeMs) });
  }
  const byPath = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  files.sort((a, b) => byPath(a.path, b.path));
  skipped.sort(byPath);
  return { files, skipped, unmatched };
}

// ───────────────────────────── shards ─────────────────────────────

export interface ShardSpec {
  index: number;
  count: number;
  /** Where the index came from: 'argument', 'JOB_COMPLETION_INDEX' or 'SLURM_ARRAY_TASK_ID'. */
  source: string;
}

/**
 * Parses --shard: "i/n" (0 ≤ i < n), "auto/n" or "auto". auto takes i from JOB_COMPLETION_INDEX (Kubernetes Indexed
 * Job) or SLURM_ARRAY_TASK_ID minus SLURM_ARRAY_TASK_MIN (SLURM job array), and n, when not given, from
 * SLURM_ARRAY_TASK_COUNT. Throws an Error with a message for the user.
 */
export function parseShard(spec: string, env: Readonly<Record<string, string | undefined>> = process.env): ShardSpec {
  const m = /^(auto|\d+)(?:\/(\d+))?$/.exec(spec.trim());
  if (!m) throw new Error(`--shard must be i/n, auto/n or auto (got "${spec}")`);
  let count = m[2] === undefined ? Number.NaN : Number(m[2]);
  let index: number;
  let source = 'argument';
  if (m[1] === 'auto') {
    const k8s = env['JOB_COMPLETION_INDEX'];
    const slurm = env['SLURM_ARRAY_TASK_ID'];
    if (k8s !== undefined && k8s !== '') {
      index = Number(k8s);
      source = 'JOB_COMPLETION_INDEX';
    } else if (slurm !== undefined && slurm !== '') {
      index = Number(slurm) - Number(env['SLURM_ARRAY_TASK_MIN'] ?? 0);
      source = 'SLURM_ARRAY_TASK_ID';
      if (Number.isNaN(count) && env['SLURM_ARRAY_TASK_COUNT']) count = Number(env['SLURM_ARRAY_TASK_COUNT']);
    } else {
      throw new Error('--shard auto: neither JOB_COMPLETION_INDEX (Kubernetes Indexed Job) nor SLURM_ARRAY_TASK_ID (SLURM job array) is set');
    }
  } else {
    index = Number(m[1]);
  }
  if (Number.isNaN(count)) throw new Error(`--shard ${spec}: the shard count n is needed (write auto/n)`);
  if (!Number.isInteger(count) || count < 1) throw new Error(`--shard ${spec}: n must be a positive integer`);
  if (!Number.isInteger(index) || index < 0 || index >= count) throw new Error(`--shard ${spec}: index ${index} (from ${source}) is not in 0…${count - 1}`);
  return { index, count, source };
}

/** The shard a path belongs to: the first 32 bits of SHA-256(path) mod n. Stable across machines and as files are added. */
export function shardOfPath(path: string, count: number): number {
  if (count <= 1) return 0;
  return createHash('sha256').update(path, 'utf8').digest().readUInt32BE(0) % count;
}

export function selectShard<T extends { path: string }>(files: readonly T[], shard: ShardSpec | null): T[] {
  if (!shard) return [...files];
  return files.filter((f) => shardOfPath(f.path, shard.count) === shard.index);
}
