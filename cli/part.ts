// Per-file results of `earshot embed` ("parts"): one self-checking binary file per input (JSON header + window embeddings float32 + log-mel frames float16), written atomically; the unit of resume, sharding and merge. No audio or model code.
import { createHash } from 'node:crypto';
import { open, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { float16BitsToFloat32 } from '../src/dataset/formats/binary.ts';
import { writeFileAtomic } from './fsUtil.ts';

export const PART_MAGIC = 'EARSHOTP';
export const PART_VERSION = 1;
export const PARTS_DIR = 'parts';
/** Written when an embed (or merge) run has finished; absent while one is running or after it was killed. */
export const RUN_INDEX_FILE = 'earshot-shard.json';

export interface PartHeader {
  format: 'earshot-part';
  version: typeof PART_VERSION;
  /** The input's path as given (what the dataset stores and shards hash). */
  path: string;
  /** Absolute path of the audio when it was embedded (the dataset's audio references point there). */
  audioPath: string;
  source: { sizeBytes: number; mtimeMs: number };
  model: { id: string; sha256: string };
  status: 'done' | 'failed';
  /** Why the file could not be mapped (status 'failed'), as the app words it. */
  error: { code: string; message: string } | null;
  /** "kind: detail" notes for a mapped file (short, silent, truncated, non-finite). */
  notes: string[];
  durationSec: number;
  sampleRateHz: number;
  channels: number;
  container: string;
  bitsPerSample: number;
  windowCount: number;
  embeddingDim: number;
  /** Log-mel frames stored (end padding included): 96 + 48 × (windowCount − 1). */
  frameCount: number;
  /** Window descriptors stored after the frames (windowCount × this, float32; src/dsp/descriptors.ts); absent in older parts. */
  descriptorCount?: number;
  /** The file's clip-level embedding (embeddingDim float32) is stored after the descriptors; absent: none (window-mean models). */
  clipEmbedding?: boolean;
  /** Bytes after the header: embeddings (windowCount × dim × 4), frames (frameCount × 64 × 2), descriptors, clip embedding, and their SHA-256. */
  payloadBytes: number;
  payloadSha256: string;
}

export interface Part {
  header: PartHeader;
  /** windowCount × dim. */
  embeddings: Float32Array;
  /** frameCount × 64, float16 bits. */
  framesF16: Uint16Array;
  /** windowCount × header.descriptorCount, or null (older parts, failed files). */
  descriptors: Float32Array | null;
  /** embeddingDim values: one pass over the whole clip (EfficientAT), or null. */
  clipEmbedding: Float32Array | null;
}

export const MEL_BANDS = 64;

/** Part file name for an input path: SHA-256 of the path, so it is the same on every machine and shard. */
export function partFileName(path: string): string {
  return `${createHash('sha256').update(path, 'utf8').digest('hex').slice(0, 32)}.part`;
}

function le(values: Float32Array | Uint16Array): Uint8Array<ArrayBufferLike> {
  // Every platform Node runs on here is little-endian; check once rather than swap silently.
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) throw new Error('big-endian hosts are not supported');
  return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
}

export function encodePart(
  part: Omit<Part, 'header' | 'descriptors' | 'clipEmbedding'> & {
    header: Omit<PartHeader, 'payloadBytes' | 'payloadSha256'>;
    descriptors?: Float32Array | null;
    clipEmbedding?: Float32Array | null;
  },
): Uint8Array {
  const emb = le(part.embeddings);
  const frames = le(part.framesF16);
  const { header } = part;
  if (part.embeddings.length !== header.windowCount * header.embeddingDim)
    throw new RangeError('part: embeddings do not match windowCount × dim');
  if (part.framesF16.length !== header.frameCount * MEL_BANDS)
    throw new RangeError('part: frames do not match frameCount × 64');
  const k = part.descriptors && header.windowCount > 0 ? part.descriptors.length / header.windowCount : 0;
  if (part.descriptors && header.windowCount > 0 && !Number.isInteger(k))
    throw new RangeError('part: descriptors do not match windowCount');
  const desc = k > 0 && part.descriptors ? le(part.descriptors) : new Uint8Array(0);
  if (part.clipEmbedding && part.clipEmbedding.length !== header.embeddingDim)
    throw new RangeError('part: the clip embedding does not match dim');
  const clip = part.clipEmbedding ? le(part.clipEmbedding) : new Uint8Array(0);
  const hash = createHash('sha256').update(emb).update(frames).update(desc).update(clip).digest('hex');
  const { descriptorCount: _ignored, clipEmbedding: _clip, ...rest } = header;
  const full: PartHeader = {
    ...rest,
    ...(k > 0 ? { descriptorCount: k } : {}),
    ...(clip.length > 0 ? { clipEmbedding: true } : {}),
    payloadBytes: emb.length + frames.length + desc.length + clip.length,
    payloadSha256: hash,
  };
  const json = Buffer.from(JSON.stringify(full), 'utf8');
  const out = new Uint8Array(12 + json.length + emb.length + frames.length + desc.length + clip.length);
  out.set(Buffer.from(PART_MAGIC, 'ascii'), 0);
  new DataView(out.buffer).setUint32(8, json.length, true);
  out.set(json, 12);
  out.set(emb, 12 + json.length);
  out.set(frames, 12 + json.length + emb.length);
  out.set(desc, 12 + json.length + emb.length + frames.length);
  out.set(clip, 12 + json.length + emb.length + frames.length + desc.length);
  return out;
}

function parseHeader(bytes: Uint8Array, where: string): { header: PartHeader; payloadAt: number } {
  if (bytes.length < 12 || Buffer.from(bytes.subarray(0, 8)).toString('ascii') !== PART_MAGIC)
    throw new Error(`${where}: not an Earshot part file`);
  const jsonBytes = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(8, true);
  if (12 + jsonBytes > bytes.length) throw new Error(`${where}: truncated header`);
  const header = JSON.parse(Buffer.from(bytes.subarray(12, 12 + jsonBytes)).toString('utf8')) as PartHeader;
  if (header.format !== 'earshot-part' || header.version !== PART_VERSION)
    throw new Error(`${where}: unsupported part version ${String(header.version)}`);
  return { header, payloadAt: 12 + jsonBytes };
}

/** Reads and checks a whole part (length and SHA-256 of the payload). */
export function decodePart(bytes: Uint8Array, where = 'part'): Part {
  const { header, payloadAt } = parseHeader(bytes, where);
  const payload = bytes.subarray(payloadAt);
  if (payload.length !== header.payloadBytes)
    throw new Error(`${where}: payload is ${payload.length} bytes, header says ${header.payloadBytes}`);
  if (createHash('sha256').update(payload).digest('hex') !== header.payloadSha256)
    throw new Error(`${where}: payload fails its SHA-256`);
  const embBytes = header.windowCount * header.embeddingDim * 4;
  // Copies: the payload is not 4-byte aligned inside the file.
  const frameBytes = header.frameCount * MEL_BANDS * 2;
  const embeddings = new Float32Array(payload.slice(0, embBytes).buffer);
  const framesF16 = new Uint16Array(payload.slice(embBytes, embBytes + frameBytes).buffer);
  const k = header.descriptorCount ?? 0;
  const descBytes = header.windowCount * k * 4;
  const clipBytes = header.clipEmbedding === true ? header.embeddingDim * 4 : 0;
  const total = embBytes + frameBytes + descBytes + clipBytes;
  if (total !== payload.length) throw new Error(`${where}: payload holds ${payload.length} bytes, its parts ${total}`);
  const descriptors =
    k > 0 ? new Float32Array(payload.slice(embBytes + frameBytes, embBytes + frameBytes + descBytes).buffer) : null;
  const clipEmbedding =
    clipBytes > 0 ? new Float32Array(payload.slice(embBytes + frameBytes + descBytes).buffer) : null;
  return { header, embeddings, framesF16, descriptors, clipEmbedding };
}

/** Only the header (reads the first bytes of the file), or null when the file is missing or not a part. */
export async function readPartHeader(path: string): Promise<PartHeader | null> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch {
    return null;
  }
  try {
    const head = new Uint8Array(12);
    if ((await handle.read(head, 0, 12, 0)).bytesRead < 12) return null;
    const jsonBytes = new DataView(head.buffer).getUint32(8, true);
    if (jsonBytes > 1 << 20) return null;
    const all = new Uint8Array(12 + jsonBytes);
    if ((await handle.read(all, 0, all.length, 0)).bytesRead < all.length) return null;
    return parseHeader(all, path).header;
  } catch {
    return null;
  } finally {
    await handle.close();
  }
}

export async function readPart(path: string): Promise<Part> {
  return decodePart(new Uint8Array(await readFile(path)), path);
}

export async function writePart(dir: string, part: Parameters<typeof encodePart>[0]): Promise<string> {
  const path = join(dir, PARTS_DIR, partFileName(part.header.path));
  await writeFileAtomic(path, encodePart(part));
  return path;
}

/** Part files of an output folder (complete ones only: temp files of a killed run are ignored). */
export async function listPartFiles(dir: string): Promise<string[]> {
  const names = await readdir(join(dir, PARTS_DIR)).catch(() => [] as string[]);
  return names
    .filter((n) => n.endsWith('.part'))
    .sort()
    .map((n) => join(dir, PARTS_DIR, n));
}

/** Removes temp files a killed run left in parts/ (one process per output folder at a time). */
export async function removeStaleTemps(dir: string): Promise<number> {
  const names = await readdir(join(dir, PARTS_DIR)).catch(() => [] as string[]);
  const stale = names.filter((n) => n.includes('.part.tmp-'));
  await Promise.all(stale.map((n) => rm(join(dir, PARTS_DIR, n), { force: true })));
  return stale.length;
}

/** Float32 log-mel frames [first, first + count) of a part (float16 widened). */
export function partFrames(part: Part, first: number, count: number): Float32Array {
  const out = new Float32Array(count * MEL_BANDS);
  const src = part.framesF16;
  const base = first * MEL_BANDS;
  for (let i = 0; i < out.length; i++) out[i] = float16BitsToFloat32(src[base + i]!);
  return out;
}

export interface RunIndex {
  format: 'earshot-shard';
  version: 1;
  model: { id: string; sha256: string; dim: number };
  /** This run's shard, or null for all inputs; a merged folder lists the shards it joined. */
  shard: { index: number; count: number } | null;
  merged: { index: number; count: number }[] | null;
  files: { assigned: number; done: number; failed: number };
  /** Non-audio files found in folders and skipped (the app lists them the same way). */
  skippedNonAudio: number;
}
