// Clip-level embedding plan (EfficientAT): which files get one pass over all their frames and how a long clip is cut
// into chunks whose embeddings are averaged; pure: no model, no DOM, no Node. Shared by the app and the CLI.

/** A file of at most this many frames (60 s at 100 frames/s) is also embedded as one clip; longer ones only as windows. */
export const CLIP_MAX_FRAMES = 6000;
/** Clips longer than this (10 s) are embedded in equal chunks of at most this many frames, averaged by frames. */
export const CLIP_CHUNK_FRAMES = 1000;

/** Chunks of a clip of `frameCount` frames: as few as fit CLIP_CHUNK_FRAMES, of equal length (±1 frame), in order. */
export function clipChunks(frameCount: number, chunkFrames = CLIP_CHUNK_FRAMES): { start: number; frames: number }[] {
  const n = Math.max(1, Math.ceil(frameCount / chunkFrames));
  const out: { start: number; frames: number }[] = [];
  for (let i = 0; i < n; i++) {
    const start = Math.round((i * frameCount) / n);
    out.push({ start, frames: Math.round(((i + 1) * frameCount) / n) - start });
  }
  return out;
}

/**
 * The clip's embedding (and scores): `embedChunk` runs one chunk (frame-major frames × bands) and returns its
 * embedding and optional scores; chunks are averaged with weights proportional to their frames.
 */
export async function embedClipInChunks(
  frames: Float32Array,
  frameCount: number,
  bands: number,
  embedChunk: (
    chunk: Float32Array,
    chunkFrames: number,
  ) => Promise<{ embedding: Float32Array; scores: Float32Array | null }>,
  chunkFrames = CLIP_CHUNK_FRAMES,
): Promise<{ embedding: Float32Array; scores: Float32Array | null } | null> {
  let sum: Float32Array | null = null;
  let scoreSum: Float32Array | null = null;
  for (const { start, frames: n } of clipChunks(frameCount, chunkFrames)) {
    if (n <= 0) continue;
    const r = await embedChunk(frames.slice(start * bands, (start + n) * bands), n);
    const w = n / frameCount;
    sum ??= new Float32Array(r.embedding.length);
    for (let d = 0; d < sum.length; d++) sum[d] = sum[d]! + r.embedding[d]! * w;
    if (r.scores) {
      scoreSum ??= new Float32Array(r.scores.length);
      for (let c = 0; c < scoreSum.length; c++) scoreSum[c] = scoreSum[c]! + r.scores[c]! * w;
    }
  }
  return sum ? { embedding: sum, scores: scoreSum } : null;
}
