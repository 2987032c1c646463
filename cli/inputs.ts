// Input selection for the CLI: expands files, folders and globs into a sorted list of audio files (each real folder read once, each real file taken once, every other entry listed with why), and splits it into shards (i/n, or from JOB_COMPLETION_INDEX / SLURM_ARRAY_TASK_ID); no audio decoding here.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { lstat, readdir, readlink, realpath, stat } from 'node:fs/promises';
import { join, normalize, resolve } from 'node:path';
import { systemNameSkip } from '../src/lib/systemNames.ts';
import type { SystemNameCode } from '../src/lib/systemNames.ts';
import { isInside, specialFileKind, toPosix } from './fsUtil.ts';

export interface InputFile {
  /** The path as the user gave it (folder argument joined with the path inside, forward slashes). Stored in the dataset and hashed for shards. */
  path: string;
  absPath: string;
  sizeBytes: number;
  mtimeMs: number;
}

/** Why an entry found in the inputs is not embedded. */
export type SkipCode =
  | SystemNameCode
  | 'E_NOT_AUDIO'
  | 'E_BROKEN_LINK'
  | 'E_NOT_REGULAR'
  | 'E_LINK_OUTSIDE'
  | 'E_SAME_FILE'
  | 'E_EMPTY_FOLDER'
  | 'E_UNREADABLE';

export interface SkippedInput {
  path: string;
  code: SkipCode;
  reason: string;
}

export interface ExpandedInputs {
  files: InputFile[];
  /** Every entry found and not taken, with the reason: non-audio files (labels.csv, README…), broken links, FIFOs, empty folders… */
  skipped: SkippedInput[];
  /** Folders reached a second time (symlink loops, aliases), each naming the link: read once, not again. */
  notes: string[];
  /** Arguments that matched nothing. */
  unmatched: string[];
}

/** Extensions taken from folders and globs. A file named explicitly is always taken (and rejected later if unreadable). */
export const AUDIO_EXTENSIONS = new Set([
  'wav',
  'wave',
  'bwf',
  'rf64',
  'flac',
  'mp3',
  'ogg',
  'oga',
  'opus',
  'm4a',
  'mp4',
  'aac',
  'aif',
  'aiff',
  'aifc',
  'webm',
  'wma',
  'caf',
]);

function extensionOf(p: string): string {
  const name = p.slice(p.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

const GLOB_CHARS = /[*?[{]/;
const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

// ───────────────────────────── what an entry is ─────────────────────────────

/** An entry as the walk sees it, links followed once (lstat, then stat for a link). */
type DirProbe = { kind: 'dir'; st: Stats; link: string | null };
type Probe =
  | DirProbe
  | { kind: 'file'; st: Stats; link: string | null }
  | { kind: 'broken'; link: string; why: string }
  | { kind: 'special'; what: string }
  | { kind: 'missing' }
  | { kind: 'unreadable'; why: string };

const errCode = (err: unknown): string => (err as NodeJS.ErrnoException).code ?? String(err);

async function probe(absPath: string): Promise<Probe> {
  let st: Stats;
  try {
    st = await lstat(absPath);
  } catch (err) {
    const code = errCode(err);
    return code === 'ENOENT' || code === 'ENOTDIR' ? { kind: 'missing' } : { kind: 'unreadable', why: code };
  }
  let link: string | null = null;
  if (st.isSymbolicLink()) {
    link = await readlink(absPath).catch(() => '?');
    try {
      st = await stat(absPath);
    } catch (err) {
      return { kind: 'broken', link, why: errCode(err) };
    }
  }
  if (st.isDirectory()) return { kind: 'dir', st, link };
  if (st.isFile()) return { kind: 'file', st, link };
  return { kind: 'special', what: specialFileKind(st) };
}

/** Same real file or folder: device + inode (what a link or hard link shares). */
const identity = (st: Stats): string => `${st.dev}:${st.ino}`;

/** An input folder: its real path (links resolved) and the path as given. */
interface Root {
  real: string;
  shown: string;
}

interface Candidate {
  file: InputFile;
  id: string;
  /** Reached through a link to the file itself. */
  viaLink: boolean;
}

class Walk {
  private readonly candidates = new Map<string, Candidate>();
  readonly skipped = new Map<string, SkippedInput>();
  readonly notes: string[] = [];
  /** Folder identity (with the glob step, for globs) → the path it was first read under. */
  private readonly dirOwner = new Map<string, string>();

  /** The input folder being read: folder links are followed only within it. */
  currentRoot: Root | null = null;

  /** `roots`: the input folders (real paths); a folder link is followed only within the one being read. */
  constructor(private readonly roots: readonly Root[]) {}

  /** The innermost input folder holding `real` (the one being read when it holds it), or null. */
  private rootOf(real: string): Root | null {
    if (this.currentRoot && isInside(real, this.currentRoot.real)) return this.currentRoot;
    let best: Root | null = null;
    for (const r of this.roots)
      if (isInside(real, r.real) && (best === null || r.real.length > best.real.length)) best = r;
    return best;
  }

  skip(path: string, code: SkipCode, reason: string): void {
    if (!this.skipped.has(path)) this.skipped.set(path, { path, code, reason });
  }

  /** An entry found in a folder or a glob (`named`: given as an argument, so taken whatever its name or extension). */
  async entry(path: string, absPath: string, p: Probe, named: boolean): Promise<void> {
    const name = path.slice(path.lastIndexOf('/') + 1);
    if (p.kind === 'missing') return this.skip(path, 'E_UNREADABLE', 'it vanished while the folder was read');
    if (p.kind === 'unreadable') return this.skip(path, 'E_UNREADABLE', `it could not be read (${p.why})`);
    if (p.kind === 'broken') {
      return this.skip(
        path,
        'E_BROKEN_LINK',
        p.why === 'ELOOP'
          ? `a link to "${p.link}" that loops back on itself`
          : `a link to "${p.link}", which does not exist`,
      );
    }
    if (p.kind === 'special') return this.skip(path, 'E_NOT_REGULAR', `${p.what}, not a regular file`);
    const system = named ? null : systemNameSkip(name, p.kind === 'dir');
    if (system) return this.skip(path, system.code, system.reason);
    if (p.kind === 'dir') return this.folder(path, absPath, p, named);
    if (!named && !AUDIO_EXTENSIONS.has(extensionOf(path)))
      return this.skip(path, 'E_NOT_AUDIO', 'not audio by its extension');
    if (this.candidates.has(path)) return;
    this.candidates.set(path, {
      file: { path, absPath, sizeBytes: p.st.size, mtimeMs: Math.floor(p.st.mtimeMs) },
      id: identity(p.st),
      viaLink: p.link !== null,
    });
  }

  /**
   * The files to take: one path per real file. The path that is not a link wins, then the first in path order, so
   * the choice does not depend on argument order; the others are skipped naming it.
   */
  files(): InputFile[] {
    const byId = new Map<string, Candidate[]>();
    for (const c of this.candidates.values()) byId.set(c.id, [...(byId.get(c.id) ?? []), c]);
    const out: InputFile[] = [];
    for (const group of byId.values()) {
      group.sort((a, b) => Number(a.viaLink) - Number(b.viaLink) || byCodeUnit(a.file.path, b.file.path));
      const [first, ...others] = group as [Candidate, ...Candidate[]];
      out.push(first.file);
      for (const o of others)
        this.skip(
          o.file.path,
          'E_SAME_FILE',
          `the same file as ${first.file.path} (a link or hard link to it): taken once`,
        );
    }
    return out.sort((a, b) => byCodeUnit(a.path, b.path));
  }

  /** Reads a folder recursively unless its real folder was read already (a loop or an alias) or it is a link out of the roots. */
  async folder(path: string, absPath: string, p: DirProbe, named: boolean): Promise<void> {
    const id = identity(p.st);
    const owner = this.dirOwner.get(id);
    if (owner !== undefined) {
      if (owner !== path)
        this.notes.push(
          `${path}${p.link === null ? '' : ` (a link to "${p.link}")`} is the folder ${owner}, read already: not read again`,
        );
      return;
    }
    if (p.link !== null && !named) {
      const real = await realpath(absPath).catch(() => null);
      const within = real === null ? null : this.rootOf(real);
      if (within === null) {
        return this.skip(
          path,
          'E_LINK_OUTSIDE',
          `a link to the folder "${p.link}", outside the input folders: not followed (give that folder as an input to read it)`,
        );
      }
      if (within !== this.currentRoot) {
        // Another input folder: read under its own paths, as given, not under this link's.
        this.notes.push(
          `${path} (a link to "${p.link}") leads into the input folder ${within.shown}: read there, not through the link`,
        );
        return;
      }
    }
    this.dirOwner.set(id, path);
    let names: string[];
    try {
      names = (await readdir(absPath)).sort(byCodeUnit);
    } catch (err) {
      return this.skip(path, 'E_UNREADABLE', `the folder could not be read (${errCode(err)})`);
    }
    if (names.length === 0) return this.skip(path, 'E_EMPTY_FOLDER', 'an empty folder');
    for (const name of names) {
      const childAbs = join(absPath, name);
      await this.entry(`${path}/${name}`, childAbs, await probe(childAbs), false);
    }
  }

  /** A glob step starts in this folder: a link met later at the same step that leads back here is not searched again. */
  async globStarts(path: string, absPath: string, step: string): Promise<void> {
    const st = await stat(absPath).catch(() => null);
    const key = st ? `${step}|${identity(st)}` : null;
    if (key !== null && !this.dirOwner.has(key)) this.dirOwner.set(key, path === '' ? '.' : path);
  }

  /** A glob's descent into a folder: false (with a note or a skip) when that real folder was visited at this pattern step, or is a link out of the roots. */
  async globEnters(path: string, absPath: string, p: DirProbe, step: string): Promise<boolean> {
    const key = `${step}|${identity(p.st)}`;
    const owner = this.dirOwner.get(key);
    if (owner !== undefined) {
      if (p.link !== null)
        this.notes.push(`${path} (a link to "${p.link}") is the folder ${owner}, searched already: not searched again`);
      return false;
    }
    if (p.link !== null) {
      const real = await realpath(absPath).catch(() => null);
      if (real === null || this.rootOf(real) === null) {
        this.skip(
          path,
          'E_LINK_OUTSIDE',
          `a link to the folder "${p.link}", outside the input folders: not followed (give that folder as an input to read it)`,
        );
        return false;
      }
    }
    this.dirOwner.set(key, path);
    return true;
  }
}

// ───────────────────────────── globs ─────────────────────────────

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

/** A pattern's folder before its first glob segment (as the pattern spells it) and the segments from there. */
function splitGlob(p: string): { base: string; rest: string[] } {
  const absolute = p.startsWith('/');
  const segments = p.split('/').filter((s, i) => s !== '' || i === 0);
  if (absolute) segments.shift();
  let k = 0;
  while (k < segments.length - 1 && !GLOB_CHARS.test(segments[k]!)) k++;
  return { base: (absolute ? '/' : '') + segments.slice(0, k).join('/'), rest: segments.slice(k) };
}

async function listDir(dir: string): Promise<{ name: string; abs: string; p: Probe }[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const out: { name: string; abs: string; p: Probe }[] = [];
  for (const name of names.sort(byCodeUnit)) out.push({ name, abs: join(dir, name), p: await probe(join(dir, name)) });
  return out;
}

async function globInto(pattern: string, cwd: string, walk: Walk | null, out: Set<string>): Promise<void> {
  for (const p of expandBraces(toPosix(pattern))) {
    const { base, rest } = splitGlob(p);
    const baseFs = resolve(cwd, base === '' ? '.' : base);
    // Each alternative is its own search: a folder is searched once per pattern step, not once per alternative.
    const root: Root = { real: await realpath(baseFs).catch(() => baseFs), shown: base === '' ? '.' : base };
    const w = walk ?? new Walk([root]);
    const outer = w.currentRoot;
    w.currentRoot = root;
    await walkGlob(w, `${p}|`, baseFs, base, rest, out);
    w.currentRoot = outer;
  }
}

/** Paths (as the pattern spells them) of non-folders matching a glob: *, ?, [...], {a,b} and ** for any depth; symlink loops are searched once. */
export async function glob(pattern: string, cwd = process.cwd()): Promise<string[]> {
  const out = new Set<string>();
  await globInto(pattern, cwd, null, out);
  return [...out].sort();
}

async function walkGlob(
  walk: Walk,
  alt: string,
  dirFs: string,
  shown: string,
  rest: string[],
  out: Set<string>,
): Promise<void> {
  if (rest.length === 0) return;
  const [head, ...tail] = rest as [string, ...string[]];
  const join2 = (name: string): string =>
    shown === '' ? name : shown.endsWith('/') ? shown + name : `${shown}/${name}`;
  if (head === '**') {
    // The step is this '**' (rest.length); a real folder met again at it would repeat its whole subtree.
    const step = `${alt}${rest.length}`;
    await walk.globStarts(shown, dirFs, step);
    await walkGlob(walk, alt, dirFs, shown, tail, out); // zero directories
    for (const e of await listDir(dirFs)) {
      if (e.p.kind !== 'dir' || e.name.startsWith('.')) continue;
      if (await walk.globEnters(join2(e.name), e.abs, e.p, step))
        await walkGlob(walk, alt, e.abs, join2(e.name), rest, out);
    }
    return;
  }
  if (!GLOB_CHARS.test(head)) {
    const next = join(dirFs, head);
    if (tail.length === 0) {
      const p = await probe(next);
      if (p.kind !== 'missing' && p.kind !== 'dir') out.add(join2(head)); // broken links and FIFOs too: the caller says why they are not taken
    } else await walkGlob(walk, alt, next, join2(head), tail, out);
    return;
  }
  const re = segmentRegExp(head);
  for (const e of await listDir(dirFs)) {
    if (!re.test(e.name)) continue;
    if (tail.length === 0) {
      if (e.p.kind !== 'dir') out.add(join2(e.name));
    } else if (e.p.kind === 'dir' && (await walk.globEnters(join2(e.name), e.abs, e.p, `${alt}${rest.length}`))) {
      await walkGlob(walk, alt, e.abs, join2(e.name), tail, out);
    }
  }
}

// ───────────────────────────── expansion ─────────────────────────────

function cleanPath(p: string): string {
  const n = toPosix(normalize(p));
  return n.length > 1 && n.endsWith('/') ? n.slice(0, -1) : n;
}

/**
 * Expands arguments (files, folders read recursively, globs) relative to `cwd`; sorted by path, duplicates removed.
 * Each real folder is read once (device + inode: a link back up is noted, not followed), folder links are followed
 * only inside the input folders, each real file is taken once, and every entry not taken is in `skipped` with why.
 */
export async function expandInputs(args: readonly string[], cwd = process.cwd()): Promise<ExpandedInputs> {
  // Roots first: a link in one input folder into another input folder stays inside the inputs.
  const roots: (Root | null)[] = [];
  for (const arg of args) {
    const base = GLOB_CHARS.test(arg) && !existsSync(resolve(cwd, arg)) ? splitGlob(toPosix(arg)).base || '.' : arg;
    const real = await realpath(resolve(cwd, base)).catch(() => null);
    roots.push(
      real !== null && (await stat(real).catch(() => null))?.isDirectory() ? { real, shown: cleanPath(base) } : null,
    );
  }
  const walk = new Walk(roots.filter((r): r is Root => r !== null));
  const unmatched: string[] = [];
  for (const [i, arg] of args.entries()) {
    const absPath = resolve(cwd, arg);
    const shown = cleanPath(arg);
    const p = await probe(absPath);
    walk.currentRoot = roots[i] ?? null;
    if (p.kind === 'dir') await walk.folder(shown, absPath, p, true);
    else if (p.kind !== 'missing') await walk.entry(shown, absPath, p, true);
    else if (GLOB_CHARS.test(arg)) {
      const found = new Set<string>();
      await globInto(toPosix(arg), cwd, walk, found);
      for (const f of [...found].sort())
        await walk.entry(cleanPath(f), resolve(cwd, f), await probe(resolve(cwd, f)), false);
      if (found.size === 0) unmatched.push(arg);
    } else unmatched.push(arg);
  }
  const files = walk.files();
  const taken = new Set(files.map((f) => f.path));
  const skipped = [...walk.skipped.values()]
    .filter((s) => !taken.has(s.path))
    .sort((a, b) => byCodeUnit(a.path, b.path));
  return { files, skipped, notes: walk.notes, unmatched };
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
      throw new Error(
        '--shard auto: neither JOB_COMPLETION_INDEX (Kubernetes Indexed Job) nor SLURM_ARRAY_TASK_ID (SLURM job array) is set',
      );
    }
  } else {
    index = Number(m[1]);
  }
  if (Number.isNaN(count)) throw new Error(`--shard ${spec}: the shard count n is needed (write auto/n)`);
  if (!Number.isInteger(count) || count < 1) throw new Error(`--shard ${spec}: n must be a positive integer`);
  if (!Number.isInteger(index) || index < 0 || index >= count)
    throw new Error(`--shard ${spec}: index ${index} (from ${source}) is not in 0…${count - 1}`);
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
