// Content hashes of dropped files (SHA-256 through crypto.subtle) and the pure matching of re-dropped files to a saved
// map's list; no IndexedDB, no DOM beyond Blob and crypto.subtle (both exist in Node too, so this is unit-tested).

/** Files up to this size are hashed whole. */
export const FULL_HASH_MAX_BYTES = 64 * 1024 * 1024;
/** Above FULL_HASH_MAX_BYTES: this many slices of SAMPLE_SLICE_BYTES, evenly spaced from the first byte to the last. */
export const SAMPLE_SLICES = 16;
export const SAMPLE_SLICE_BYTES = 1024 * 1024;

function hex(bytes: ArrayBuffer): string {
  return Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Start offsets of the sampled hash's slices for a file of `sizeBytes` (> FULL_HASH_MAX_BYTES): first and last slice included. */
export function sampleOffsets(sizeBytes: number): number[] {
  const last = Math.max(0, sizeBytes - SAMPLE_SLICE_BYTES);
  return Array.from({ length: SAMPLE_SLICES }, (_, k) => Math.round((k * last) / (SAMPLE_SLICES - 1)));
}

/**
 * A file's content hash. Up to 64 MB: "sha256:<hex>" of the whole file. Larger files (hour-long recordings) are
 * not read whole just to be recognised: "sha256s:<hex>" is the SHA-256 of the file size (8 bytes, little-endian)
 * followed by 16 slices of 1 MiB at evenly spaced offsets (sampleOffsets). A change outside those slices that keeps
 * the size goes unnoticed; for recordings written once and copied around that is the trade we take.
 */
export async function contentHash(blob: Blob): Promise<string> {
  if (blob.size <= FULL_HASH_MAX_BYTES)
    return `sha256:${hex(await crypto.subtle.digest('SHA-256', await blob.arrayBuffer()))}`;
  const offsets = sampleOffsets(blob.size);
  const buf = new Uint8Array(8 + offsets.length * SAMPLE_SLICE_BYTES);
  new DataView(buf.buffer).setBigUint64(0, BigInt(blob.size), true);
  let at = 8;
  for (const off of offsets) {
    const part = new Uint8Array(await blob.slice(off, off + SAMPLE_SLICE_BYTES).arrayBuffer());
    buf.set(part, at);
    at += part.length;
  }
  return `sha256s:${hex(await crypto.subtle.digest('SHA-256', buf.subarray(0, at)))}`;
}

export interface SavedFileId {
  path: string;
  name: string;
  sizeBytes: number;
}

export interface DroppedFileId {
  path: string;
  name: string;
  size: number;
}

/**
 * Pairs each saved file with a dropped one by name and size (same path preferred, so two "1.wav" in different folders
 * go to the right place). Returns, per saved file, the dropped index or -1. The caller confirms each pair by hash.
 */
export function pairByNameAndSize(saved: readonly SavedFileId[], dropped: readonly DroppedFileId[]): number[] {
  const byPath = new Map<string, number>();
  const byNameSize = new Map<string, number[]>();
  dropped.forEach((d, i) => {
    byPath.set(`${d.path}\u0000${d.size}`, i);
    const k = `${d.name}\u0000${d.size}`;
    const list = byNameSize.get(k);
    if (list) list.push(i);
    else byNameSize.set(k, [i]);
  });
  const used = new Set<number>();
  const out = saved.map((s) => {
    const i = byPath.get(`${s.path}\u0000${s.sizeBytes}`);
    if (i === undefined || used.has(i)) return -1;
    used.add(i);
    return i;
  });
  saved.forEach((s, k) => {
    if (out[k] !== -1) return;
    const i = (byNameSize.get(`${s.name}\u0000${s.sizeBytes}`) ?? []).find((c) => !used.has(c));
    if (i === undefined) return;
    used.add(i);
    out[k] = i;
  });
  return out;
}

/** "a.wav, b.wav and 3 more": names for a message, capped. */
export function nameList(names: readonly string[], max = 5): string {
  if (names.length <= max) return names.join(', ');
  return `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}
