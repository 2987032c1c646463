// Exact copies among a map's files (same content hash): the note after a drop, and the groups that keep copies in one
// cross-validation fold, so a classifier is not scored on files it has already seen under another name. Pure.
import type { FileRecord } from './mapData.ts';

export interface Duplicates {
  /** Per file: its group of copies (0, 1, …), or -1 when it has no copy (or is not hashed). */
  groupOfFile: Int32Array;
  /** Each group's file indices (two or more), in file order. */
  groups: number[][];
  /** Files that are copies of another: the sum over groups of (size − 1). */
  copies: number;
}

export function findDuplicates(files: readonly Pick<FileRecord, 'index' | 'contentHash' | 'status'>[]): Duplicates {
  const byHash = new Map<string, number[]>();
  for (const f of files) {
    if (!f.contentHash || f.status === 'failed') continue;
    const list = byHash.get(f.contentHash);
    if (list) list.push(f.index);
    else byHash.set(f.contentHash, [f.index]);
  }
  const groups = [...byHash.values()].filter((g) => g.length > 1).sort((a, b) => a[0]! - b[0]!);
  const groupOfFile = new Int32Array(files.length).fill(-1);
  groups.forEach((g, k) => g.forEach((i) => (groupOfFile[i] = k)));
  return { groupOfFile, groups, copies: groups.reduce((n, g) => n + g.length - 1, 0) };
}

/** "3 files are exact copies of 2 others", or null when there are none. */
export function duplicatesSentence(d: Duplicates): string | null {
  if (d.copies === 0) return null;
  const originals = d.groups.length;
  return `${d.copies} file${d.copies === 1 ? ' is an exact copy' : 's are exact copies'} of ${originals} other${originals === 1 ? '' : 's'}`;
}

/**
 * Cross-validation groups per point: the copies of a file share one group, and every other file is its own group (so a
 * file's windows stay together too). `fileOfPoint` maps a point to its file index.
 */
export function pointGroups(d: Duplicates, pointCount: number, fileOfPoint: (p: number) => number): Int32Array {
  const out = new Int32Array(pointCount);
  const base = d.groups.length;
  for (let p = 0; p < pointCount; p++) {
    const f = fileOfPoint(p);
    const g = f >= 0 ? (d.groupOfFile[f] ?? -1) : -1;
    out[p] = g >= 0 ? g : base + Math.max(0, f);
  }
  return out;
}
