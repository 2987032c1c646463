// bench:embed — model throughput on the same real log-mel inputs: the app's embed worker (onnxruntime-web) in headless
// Chromium vs onnxruntime-node, measured in one run, for every model ../shared has: YAMNet and EfficientAT mn04 in
// windows/s (0.96 s windows), and EfficientAT's clip mode (one pass over 5 s clips) in seconds of audio per second.
// One "embed:" line per model and mode; the last line holds them all with wall and CPU seconds.
import * as ort from 'onnxruntime-node';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { openApp } from './lib/browser.ts';
import { chromiumCpuSec } from './lib/procTree.ts';
import { efficientAtDir, hasEfficientAt, hasShared, yamnetDir } from '../src/lib/sharedPaths.ts';
import { computePatches } from '../src/dsp/yamnetFrontend.ts';
import {
  EFFICIENTAT_WINDOW_VALUES,
  computeEfficientAtFrames,
  computeEfficientAtWindows,
  toMelMajor,
} from '../src/dsp/efficientatFrontend.ts';
import { readF32 } from '../src/lib/f32File.ts';

const TOTAL = Number(process.env['BENCH_PATCHES'] ?? 1024);
const BATCH = Number(process.env['BENCH_BATCH'] ?? 64);
/** Clips for clip mode: 5 s each (501 frames), as ESC-50's. */
const CLIPS = Number(process.env['BENCH_CLIPS'] ?? 64);
const CLIP_FRAMES = 501;

if (!hasShared() && !hasEfficientAt()) {
  console.error('bench:embed needs ../shared/models (YAMNet and/or EfficientAT mn04 with their reference waves)');
  process.exit(2);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

/** What one measurement feeds: `count` items of `values` floats (frame-major for EfficientAT), `framesPerItem` for clips. */
interface Workload {
  model: 'yamnet' | 'efficientat-mn04';
  mode: 'windows' | 'clips';
  unique: Float32Array;
  values: number;
  total: number;
  batch: number;
  framesPerItem: number | null;
  /** Seconds of audio one item stands for (windows: the 0.48 s hop they advance by; clips: their length). */
  audioSecPerItem: number;
}

function yamnetWorkload(): Workload {
  const waves = ['insect_16k', 'noise_3s', 'chirp_2_5s', 'sine440_3s', 'clicks_0_5s'].map((n) =>
    readF32(join(yamnetDir(), 'reference', `${n}.wave.f32`)),
  );
  const parts = waves.map((w) => computePatches(w));
  const count = parts.reduce((n, p) => n + p.patchCount, 0);
  const unique = new Float32Array(count * 96 * 64);
  let at = 0;
  for (const p of parts) {
    unique.set(p.patches, at);
    at += p.patches.length;
  }
  return {
    model: 'yamnet',
    mode: 'windows',
    unique,
    values: 96 * 64,
    total: TOTAL,
    batch: BATCH,
    framesPerItem: null,
    audioSecPerItem: 0.48,
  };
}

function efficientAtWaves(): Float32Array[] {
  return ['insect_32k', 'noise_3s', 'chirp_2_5s', 'sine440_3s', 'silence_1s'].map((n) =>
    readF32(join(efficientAtDir(), 'reference', `${n}.wave.f32`)),
  );
}

function efficientAtWindowWorkload(): Workload {
  const parts = efficientAtWaves().map((w) => computeEfficientAtWindows(w));
  const count = parts.reduce((n, p) => n + p.windowCount, 0);
  const unique = new Float32Array(count * EFFICIENTAT_WINDOW_VALUES);
  let at = 0;
  for (const p of parts) {
    unique.set(p.windows, at);
    at += p.windows.length;
  }
  return {
    model: 'efficientat-mn04',
    mode: 'windows',
    unique,
    values: EFFICIENTAT_WINDOW_VALUES,
    total: TOTAL,
    batch: BATCH,
    framesPerItem: null,
    audioSecPerItem: 0.48,
  };
}

function efficientAtClipWorkload(): Workload {
  // 5 s clips: the insect recording's frames (500) plus one, repeated; every clip the same length, batched like ESC-50's.
  const { frames, frameCount } = computeEfficientAtFrames(efficientAtWaves()[0]!);
  const clip = new Float32Array(CLIP_FRAMES * 128);
  for (let f = 0; f < CLIP_FRAMES; f++)
    clip.set(frames.subarray((f % frameCount) * 128, ((f % frameCount) + 1) * 128), f * 128);
  return {
    model: 'efficientat-mn04',
    mode: 'clips',
    unique: clip,
    values: CLIP_FRAMES * 128,
    total: CLIPS,
    batch: 8,
    framesPerItem: CLIP_FRAMES,
    audioSecPerItem: CLIP_FRAMES / 100,
  };
}

/** Items per second on onnxruntime-node (median of 3). */
async function nodeRate(w: Workload, threads: number): Promise<number> {
  const onnx = w.model === 'yamnet' ? join(yamnetDir(), 'yamnet.onnx') : join(efficientAtDir(), 'mn04_as.onnx');
  const session = await ort.InferenceSession.create(onnx, {
    intraOpNumThreads: threads,
    graphOptimizationLevel: 'all',
  });
  const uniqueCount = w.unique.length / w.values;
  const all = new Float32Array(w.total * w.values);
  for (let i = 0; i < w.total; i++)
    all.set(w.unique.subarray((i % uniqueCount) * w.values, ((i % uniqueCount) + 1) * w.values), i * w.values);
  const run = async (at: number, n: number) => {
    const data = all.subarray(at * w.values, (at + n) * w.values);
    if (w.model === 'yamnet') return session.run({ log_mel: new ort.Tensor('float32', data.slice(), [n, 96, 64]) });
    const frames = w.framesPerItem ?? 96;
    const melMajor = new Float32Array(n * w.values);
    for (let i = 0; i < n; i++)
      toMelMajor(data.subarray(i * w.values, (i + 1) * w.values), frames, 128, melMajor, i * w.values);
    return session.run({ logmel: new ort.Tensor('float32', melMajor, [n, 1, 128, frames]) });
  };
  await run(0, Math.min(w.batch, w.total));
  const rates: number[] = [];
  for (let rep = 0; rep < 3; rep++) {
    const t0 = performance.now();
    for (let at = 0; at < w.total; at += w.batch) await run(at, Math.min(w.batch, w.total - at));
    rates.push(w.total / ((performance.now() - t0) / 1000));
  }
  await session.release();
  return median(rates);
}

/** Items per second through the app's embed worker in Chromium (median of 3), with the app's default threads. */
async function browserRate(
  page: import('@playwright/test').Page,
  w: Workload,
): Promise<{ rate: number; backend: string; threads: number }> {
  return page.evaluate(
    async ({ data, values, total, batch, framesPerItem, model }) => {
      const { WorkerClient } = (await import(
        /* @vite-ignore */ String('/src/workers/rpc/client.ts')
      )) as typeof import('../src/workers/rpc/client.ts');
      const client = new WorkerClient<import('../src/workers/embed.worker.ts').EmbedApi>(
        () => new Worker(new URL('/src/workers/embed.worker.ts', location.href), { type: 'module' }) as never,
        'embed',
      );
      const { YAMNET_MANIFEST, EFFICIENTAT_MANIFEST } = (await import(
        /* @vite-ignore */ String('/src/embed/manifest.ts')
      )) as typeof import('../src/embed/manifest.ts');
      const info = await client.call('load', {
        manifest: model === 'yamnet' ? YAMNET_MANIFEST : EFFICIENTAT_MANIFEST,
        backend: 'auto',
        threads: 0,
        bytes: null,
        cache: false,
        faults: { webgpuCreate: false, webgpuLostAtCall: null },
      });
      // Tile the unique inputs in the page: shipping millions of numbers through the protocol would dominate.
      const uniq = Float32Array.from(data);
      const uniqueCount = uniq.length / values;
      const all = new Float32Array(total * values);
      for (let i = 0; i < total; i++)
        all.set(uniq.subarray((i % uniqueCount) * values, ((i % uniqueCount) + 1) * values), i * values);
      const call = (at: number, n: number) =>
        client.call('embed', {
          patches: all.slice(at * values, (at + n) * values),
          count: n,
          ...(framesPerItem !== null ? { frames: framesPerItem } : {}),
        });
      await call(0, Math.min(batch, total));
      const rates: number[] = [];
      for (let rep = 0; rep < 3; rep++) {
        const t0 = performance.now();
        for (let at = 0; at < total; at += batch) await call(at, Math.min(batch, total - at));
        rates.push(total / ((performance.now() - t0) / 1000));
      }
      client.terminate();
      rates.sort((a, b) => a - b);
      return { rate: rates[1] ?? 0, backend: info.backend, threads: info.threads };
    },
    {
      data: Array.from(w.unique),
      values: w.values,
      total: w.total,
      batch: w.batch,
      framesPerItem: w.framesPerItem,
      model: w.model,
    },
  );
}

const t0 = performance.now();
const cpu0 = process.cpuUsage();
const workloads: Workload[] = [
  ...(hasEfficientAt() ? [efficientAtWindowWorkload(), efficientAtClipWorkload()] : []),
  ...(hasShared() ? [yamnetWorkload()] : []),
];
const figures: string[] = [];
const app = await openApp({ path: '/e2e/blank.html' });
let browserCpu: number;
try {
  for (const w of workloads) {
    const node = await nodeRate(w, 2);
    const browser = await browserRate(app.page, w);
    const unit = w.mode === 'clips' ? 'clips/s' : 'windows/s';
    const ratio = browser.rate / node;
    console.log(
      `embed: model=${w.model} mode=${w.mode} browser=${browser.rate.toFixed(1)} ${unit} (${(browser.rate * w.audioSecPerItem).toFixed(0)} audio_s/s) ` +
        `node=${node.toFixed(1)} ${unit} (${(node * w.audioSecPerItem).toFixed(0)} audio_s/s, 2 threads) ratio=${ratio.toFixed(3)} backend=${browser.backend} threads=${browser.threads}`,
    );
    figures.push(
      `${w.model}/${w.mode}:ratio=${ratio.toFixed(3)},browser=${browser.rate.toFixed(0)},node=${node.toFixed(0)}`,
    );
  }
  browserCpu = chromiumCpuSec();
} finally {
  await app.close();
}
const cpu = process.cpuUsage(cpu0);
console.log(
  `embed: ${figures.join(' ')} wall_s=${((performance.now() - t0) / 1000).toFixed(1)} node_cpu_s=${((cpu.user + cpu.system) / 1e6).toFixed(1)} chromium_cpu_s=${browserCpu.toFixed(1)} load=${loadavg()[0]!.toFixed(1)}`,
);
