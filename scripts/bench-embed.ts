// bench:embed — YAMNet throughput on the same ≥1,000 real log-mel patches: the app's embed worker
// (onnxruntime-web) in headless Chromium vs onnxruntime-node, measured in one run. Last line is the figure.
import * as ort from 'onnxruntime-node';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openApp } from './lib/browser.ts';
import { yamnetDir, hasShared } from '../src/lib/sharedPaths.ts';
import { computePatches } from '../src/dsp/yamnetFrontend.ts';

const PATCH = 96 * 64;
const TOTAL = Number(process.env['BENCH_PATCHES'] ?? 1024);
const BATCH = Number(process.env['BENCH_BATCH'] ?? 64);

if (!hasShared()) {
  console.error('bench:embed needs ../shared/models/yamnet (YAMNet ONNX and reference waves)');
  process.exit(2);
}

// Real patches: every reference wave through our frontend, tiled to TOTAL.
const refDir = join(yamnetDir(), 'reference');
const waves = ['insect_16k', 'noise_3s', 'chirp_2_5s', 'sine440_3s', 'clicks_0_5s'].map((n) => {
  const b = readFileSync(join(refDir, `${n}.wave.f32`));
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
});
const unique = waves.map((w) => computePatches(w)).flatMap(({ patches, patchCount }) =>
  Array.from({ length: patchCount }, (_, i) => patches.subarray(i * PATCH, (i + 1) * PATCH)),
);
const patches = new Float32Array(TOTAL * PATCH);
for (let i = 0; i < TOTAL; i++) patches.set(unique[i % unique.length]!, i * PATCH);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

async function nodeRate(threads: number): Promise<number> {
  const session = await ort.InferenceSession.create(join(yamnetDir(), 'yamnet.onnx'), { intraOpNumThreads: threads, graphOptimizationLevel: 'all' });
  await session.run({ log_mel: new ort.Tensor('float32', patches.slice(0, BATCH * PATCH), [BATCH, 96, 64]) });
  const rates: number[] = [];
  for (let rep = 0; rep < 3; rep++) {
    const t0 = performance.now();
    for (let at = 0; at < TOTAL; at += BATCH) {
      const n = Math.min(BATCH, TOTAL - at);
      await session.run({ log_mel: new ort.Tensor('float32', patches.slice(at * PATCH, (at + n) * PATCH), [n, 96, 64]) });
    }
    rates.push(TOTAL / ((performance.now() - t0) / 1000));
  }
  await session.release();
  return median(rates);
}

async function browserRate(threads: number): Promise<{ rate: number; backend: string; threads: number }> {
  const app = await openApp({ path: '/e2e/blank.html' });
  try {
    return await app.page.evaluate(
      async ({ data, total, batch, threads }) => {
        const { WorkerClient } = (await import(/* @vite-ignore */ String('/src/workers/rpc/client.ts'))) as typeof import('../src/workers/rpc/client.ts');
        const client = new WorkerClient<import('../src/workers/embed.worker.ts').EmbedApi>(
          () => new Worker(new URL('/src/workers/embed.worker.ts', location.href), { type: 'module' }) as never,
          'embed',
        );
        const { YAMNET_MANIFEST } = (await import(/* @vite-ignore */ String('/src/embed/manifest.ts'))) as typeof import('../src/embed/manifest.ts');
        const info = await client.call('load', {
          manifest: YAMNET_MANIFEST, backend: 'auto', threads, bytes: null, cache: false, faults: { webgpuCreate: false, webgpuLostAtCall: null },
        });
        const patch = 96 * 64;
        // Tile the unique patches in the page: shipping 6 M numbers through the protocol would dominate.
        const uniq = Float32Array.from(data);
        const uniqueCount = uniq.length / patch;
        const all = new Float32Array(total * patch);
        for (let i = 0; i < total; i++) all.set(uniq.subarray((i % uniqueCount) * patch, ((i % uniqueCount) + 1) * patch), i * patch);
        await client.call('embed', { patches: all.slice(0, batch * patch), count: batch });
        const rates: number[] = [];
        for (let rep = 0; rep < 3; rep++) {
          const t0 = performance.now();
          for (let at = 0; at < total; at += batch) {
            const n = Math.min(batch, total - at);
            await client.call('embed', { patches: all.slice(at * patch, (at + n) * patch), count: n });
          }
          rates.push(total / ((performance.now() - t0) / 1000));
        }
        client.terminate();
        rates.sort((a, b) => a - b);
        return { rate: rates[1] ?? 0, backend: info.backend, threads: info.threads };
      },
      { data: Array.from(patches.subarray(0, unique.length * PATCH)), total: TOTAL, batch: BATCH, threads },
    );
  } finally {
    await app.close();
  }
}

const nodeThreads = 2;
const node = await nodeRate(nodeThreads);
console.log(`node: ${node.toFixed(1)} patches/s (onnxruntime-node, ${nodeThreads} threads, batch ${BATCH})`);
const variants = (process.env['BENCH_THREADS'] ?? '0').split(',').map(Number);
let best: { rate: number; backend: string; threads: number } | null = null;
for (const t of variants) {
  const r = await browserRate(t);
  console.log(`browser: ${r.rate.toFixed(1)} patches/s (${r.backend}, ${r.threads} threads${t === 0 ? ', app default' : ''})`);
  // The figure is the app's default (threads=0) when measured, else the first variant.
  if (t === 0 || best === null) best = r;
}
if (!best) throw new Error('no browser measurement');
console.log(
  `embed: browser=${best.rate.toFixed(1)} patches/s node=${node.toFixed(1)} patches/s ratio=${(best.rate / node).toFixed(3)} backend=${best.backend} threads=${best.threads}`,
);
