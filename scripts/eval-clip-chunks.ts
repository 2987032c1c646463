// eval:clip-chunks — what the clip pass buys and how short its chunks may get. On a folder of labelled clips (default
// the insects; byte-identical copies counted once): leave-one-out 1-NN label agreement (cosine, full 384-d) of
// EfficientAT mn04 file vectors made as the mean of 0.96 s windows, as one pass over the whole clip, and as the
// frame-weighted mean of passes over chunks of N frames. Then, on long clips made by joining each label's distinct
// clips, how close chunked passes stay to one pass over the whole (min cosine): the app cuts clips over
// CLIP_CHUNK_FRAMES. Node only (src/dsp + onnxruntime-node). Last line: the figures.
import * as ort from 'onnxruntime-node';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  EFFICIENTAT_WINDOW_VALUES,
  computeEfficientAtFrames,
  computeEfficientAtWindows,
  toMelMajor,
} from '../src/dsp/efficientatFrontend.ts';
import { mixdown } from '../src/dsp/mixdown.ts';
import { resampleAll } from '../src/dsp/resample.ts';
import { parseWav } from '../src/dsp/wav.ts';
import { embedClipInChunks } from '../src/embed/clipEmbedding.ts';
import { labelFromPath } from '../src/dataset/labels.ts';
import { leaveOneOut1nnAgreement } from '../src/reduce/knn.ts';
import { efficientAtDir, hasEfficientAt } from '../src/lib/sharedPaths.ts';

const { values } = parseArgs({ options: { dir: { type: 'string' }, chunks: { type: 'string' } } });
const dir = resolve(values.dir ?? '../shared/data/insects');
const chunkList = (values.chunks ?? '50,100,200,300,1000').split(',').map(Number);
if (!hasEfficientAt()) {
  console.error('eval:clip-chunks needs ../shared/models/efficientat-mn04');
  process.exit(2);
}

const t0 = performance.now();
const cpu0 = process.cpuUsage();
const files: { path: string; label: string }[] = [];
const walk = (d: string, rel: string) => {
  for (const e of readdirSync(d, { withFileTypes: true })) {
    if (e.isDirectory()) walk(join(d, e.name), `${rel}${e.name}/`);
    else if (/\.wav$/i.test(e.name)) {
      const label = labelFromPath(`${rel}${e.name}`).label;
      if (label !== null) files.push({ path: join(d, e.name), label });
    }
  }
};
walk(dir, `${dir.slice(dir.lastIndexOf('/') + 1)}/`);

const session = await ort.InferenceSession.create(join(efficientAtDir(), 'mn04_as.onnx'), { intraOpNumThreads: 2 });
const run = async (melMajor: Float32Array, batch: number, frames: number): Promise<Float32Array> =>
  (await session.run({ logmel: new ort.Tensor('float32', melMajor, [batch, 1, 128, frames]) }))['pooled384']!
    .data as Float32Array;

const variants = ['window_mean', 'clip', ...chunkList.map((n) => `chunk_${n}`)];
const vectors = new Map(variants.map((v) => [v, [] as Float32Array[]]));
const labels: string[] = [];
let skipped = 0;
let copies = 0;
const seen = new Set<string>();
const byLabel = new Map<string, Float32Array[]>();
for (const f of files) {
  let wave: Float32Array;
  try {
    const bytes = readFileSync(f.path);
    const hash = createHash('sha256').update(bytes).digest('hex');
    if (seen.has(hash)) {
      copies++; // an exact copy would be its own nearest neighbour
      continue;
    }
    seen.add(hash);
    const wav = parseWav(bytes);
    wave = resampleAll(mixdown(wav.channels), wav.sampleRateHz, 32000);
  } catch {
    skipped++; // empty or unreadable: the app fails these with a reason
    continue;
  }
  const { frames, frameCount } = computeEfficientAtFrames(wave);
  if (frameCount === 0) {
    skipped++;
    continue;
  }
  labels.push(f.label);
  byLabel.set(f.label, [...(byLabel.get(f.label) ?? []), frames.slice()]);
  const { windows, windowCount } = computeEfficientAtWindows(wave);
  const input = new Float32Array(windowCount * EFFICIENTAT_WINDOW_VALUES);
  for (let w = 0; w < windowCount; w++)
    toMelMajor(windows.subarray(w * EFFICIENTAT_WINDOW_VALUES), 96, 128, input, w * EFFICIENTAT_WINDOW_VALUES);
  const emb = await run(input, windowCount, 96);
  const mean = new Float32Array(384);
  for (let w = 0; w < windowCount; w++)
    for (let d = 0; d < 384; d++) mean[d] = mean[d]! + emb[w * 384 + d]! / windowCount;
  vectors.get('window_mean')!.push(mean);
  vectors.get('clip')!.push((await run(toMelMajor(frames, frameCount, 128), 1, frameCount)).slice());
  for (const n of chunkList) {
    const r = await embedClipInChunks(
      frames,
      frameCount,
      128,
      async (chunk, k) => ({ embedding: (await run(toMelMajor(chunk, k, 128), 1, k)).slice(), scores: null }),
      n,
    );
    vectors.get(`chunk_${n}`)!.push(r!.embedding);
  }
}

// Long clips: each label's distinct clips joined (frame-wise) into one; chunked passes against the one whole pass.
const longCos = new Map(chunkList.map((n) => [n, 1]));
let longClips = 0;
let longestSec = 0;
for (const parts of byLabel.values()) {
  const frameCount = parts.reduce((n, p) => n + p.length / 128, 0);
  if (frameCount < 2000) continue; // under 20 s: nothing to learn about 10 s chunks
  const joined = new Float32Array(frameCount * 128);
  let at = 0;
  for (const p of parts) {
    joined.set(p, at);
    at += p.length;
  }
  longClips++;
  longestSec = Math.max(longestSec, frameCount / 100);
  const whole = await run(toMelMajor(joined, frameCount, 128), 1, frameCount);
  for (const n of chunkList) {
    const r = await embedClipInChunks(
      joined,
      frameCount,
      128,
      async (chunk, k) => ({ embedding: (await run(toMelMajor(chunk, k, 128), 1, k)).slice(), scores: null }),
      n,
    );
    let dot = 0;
    let na = 0;
    let nb = 0;
    for (let d = 0; d < 384; d++) {
      dot += whole[d]! * r!.embedding[d]!;
      na += whole[d]! * whole[d]!;
      nb += r!.embedding[d]! * r!.embedding[d]!;
    }
    longCos.set(n, Math.min(longCos.get(n)!, dot / Math.sqrt(na * nb)));
  }
}
await session.release();
for (const n of chunkList)
  console.log(
    `clip-chunks: long clips (${longClips}, up to ${longestSec.toFixed(0)} s) chunk_${n} vs one pass: min_cos=${longCos.get(n)!.toFixed(4)}`,
  );

const figures = variants.map((v) => {
  const rows = vectors.get(v)!;
  const flat = new Float32Array(rows.length * 384);
  rows.forEach((r, i) => flat.set(r, i * 384));
  const knn = leaveOneOut1nnAgreement(flat, rows.length, 384, labels, 'cosine');
  console.log(`clip-chunks: ${v.padEnd(12)} knn1_full=${knn.toFixed(3)}`);
  return `${v}=${knn.toFixed(3)}`;
});
const cpu = process.cpuUsage(cpu0);
console.log(
  `clip-chunks: files=${labels.length} copies=${copies} skipped=${skipped} labels=${new Set(labels).size} knn1_full ${figures.join(' ')} long_min_cos ${chunkList.map((n) => `chunk_${n}=${longCos.get(n)!.toFixed(4)}`).join(' ')} wall_s=${((performance.now() - t0) / 1000).toFixed(1)} cpu_s=${((cpu.user + cpu.system) / 1e6).toFixed(1)} load=${loadavg()[0]!.toFixed(1)}`,
);
