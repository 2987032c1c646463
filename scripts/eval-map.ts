// eval:map — drives the real app in headless Chromium on a folder of labelled clips and reports how well
// the map keeps labels apart (leave-one-out 1-NN agreement, full embedding space vs 3D; k-means ARI; classifier 5-fold
// accuracy). Last line is the figure.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadavg } from 'node:os';
import { openApp } from './lib/browser.ts';
import { TRACE_CATEGORIES, reportTrace } from './lib/trace.ts';
import { chromiumCpuSec } from './lib/procTree.ts';
import { leaveOneOut1nnAgreement } from '../src/reduce/knn.ts';
import type { MapSnapshot } from '../src/devtools/debugHook.ts';
import { l2NormalizeRows } from '../src/reduce/vectors.ts';
import { kmeans } from '../src/analysis/kmeans.ts';
import { hdbscan } from '../src/analysis/hdbscan.ts';
import { adjustedRandIndex } from '../src/analysis/ari.ts';
import { crossValidateSoftmax } from '../src/analysis/logreg.ts';
import { CLUSTER_SEED, PROBE_OPTIONS } from '../src/analysis/settings.ts';

const { values } = parseArgs({
  options: { dir: { type: 'string' }, model: { type: 'string' }, trace: { type: 'boolean' } },
});
const dir = resolve(values.dir ?? '../shared/data/insects');
if (!existsSync(dir)) {
  console.error(`eval:map: no folder at ${dir} (use --dir <folder>)`);
  process.exit(2);
}

const t0 = performance.now();
const app = await openApp({
  initScript: () => {
    // Long main-thread tasks, to check the page stays responsive while it works.
    const w = window as unknown as { __longTasks: { start: number; duration: number }[] };
    w.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  },
});
try {
  const page = app.page;
  if (values.model) await page.getByTestId('model-select').selectOption(values.model);
  // --trace: the longest main-thread tasks broken into Chromium trace events, with their main-thread CPU.
  if (values.trace) await app.browser.startTracing(page, { categories: TRACE_CATEGORIES });
  await page.getByTestId('folder-input').setInputFiles(dir);
  await page.waitForFunction(
    () => {
      const s = window.__earshot.state();
      return s.phase === 'done' || s.phase === 'error';
    },
    null,
    { timeout: 1_800_000, polling: 500 },
  );
  const seconds = (performance.now() - t0) / 1000;
  const cpuSec = chromiumCpuSec();
  const longestTaskCpuMs = values.trace ? reportTrace(await app.browser.stopTracing()) : null;
  const result = await page.evaluate(() => {
    const e = window.__earshot;
    const tasks = (window as unknown as { __longTasks: { start: number; duration: number }[] }).__longTasks;
    return { state: e.state(), snap: e.snapshot(true), tasks };
  });
  const state = result.state as {
    phase: string;
    fileCount: number;
    message: string | null;
    failed: unknown[];
    model: { modelId: string; backend: string; threads: number } | null;
    stages: Record<string, { startedAt: number | null; finishedAt: number | null }>;
  };
  const snap = result.snap as MapSnapshot;
  // Hover a few points as a person would; the app records when each sound was scheduled.
  const latencies: number[] = [];
  for (let k = 0; k < Math.min(10, snap.points.length); k++) {
    const i = Math.floor((k * snap.points.length) / 10);
    const xy = await page.evaluate((i) => window.__earshotScatter?.pointToClient(i) ?? null, i);
    if (!xy) continue;
    await page.mouse.move(xy.x, xy.y);
    const ms = await page.evaluate(() => window.__earshot.lastPlayback()?.startLatencyMs ?? null);
    if (ms !== null) latencies.push(ms);
    await page.mouse.move(2, 2);
  }
  latencies.sort((a, b) => a - b);
  if (state.phase !== 'done') throw new Error(`app ended in ${state.phase}: ${state.message ?? ''}`);
  const n = snap.points.length;
  const labels = snap.points.map((p) => p.label);
  const knnFull = leaveOneOut1nnAgreement(Float32Array.from(snap.vectors), n, snap.dim, labels, 'cosine');
  const knn3d = leaveOneOut1nnAgreement(Float32Array.from(snap.positions), n, 3, labels, 'euclidean');
  // The same, with exact copies of a file left out together (a copy is trivially its twin's nearest neighbour), and
  // the probe with copies in one fold: the figures a curated set with duplicates must be judged by.
  const hashGroup = new Map<string, number>();
  const groups = Int32Array.from(snap.points, (p, i) => {
    if (p.contentHash === null) return -1 - i;
    if (!hashGroup.has(p.contentHash)) hashGroup.set(p.contentHash, hashGroup.size);
    return hashGroup.get(p.contentHash)!;
  });
  const copies = snap.points.filter((p) => p.contentHash !== null).length - hashGroup.size;
  const knnFullDistinct = leaveOneOut1nnAgreement(
    Float32Array.from(snap.vectors),
    n,
    snap.dim,
    labels,
    'cosine',
    groups,
  );
  const knn3dDistinct = leaveOneOut1nnAgreement(Float32Array.from(snap.positions), n, 3, labels, 'euclidean', groups);
  // The in-app analyses on the same vectors: k-means (k = number of labels) on L2-normalised embeddings, HDBSCAN
  // on the 3D layout, and the in-app classifier's stratified 5-fold accuracy.
  const labelNames = [...new Set(labels.filter((l): l is string => l !== null))].sort();
  const normalised = l2NormalizeRows(Float32Array.from(snap.vectors), n, snap.dim);
  const km = kmeans(normalised, n, snap.dim, Math.max(1, labelNames.length), CLUSTER_SEED);
  const clusterAri = adjustedRandIndex(Array.from(km.assignment), labels);
  const hd = hdbscan(Float32Array.from(snap.positions), n, 3, { minClusterSize: Math.max(3, Math.round(n / 100)) });
  const hdbscanAri = adjustedRandIndex(Array.from(hd.labels), labels);
  const y = Int32Array.from(labels, (l) => (l === null ? -1 : labelNames.indexOf(l)));
  const probeAcc = crossValidateSoftmax(
    Float32Array.from(snap.vectors),
    snap.dim,
    y,
    labelNames.length,
    5,
    CLUSTER_SEED,
    PROBE_OPTIONS,
  );
  const probeAccGrouped = crossValidateSoftmax(
    Float32Array.from(snap.vectors),
    snap.dim,
    y,
    labelNames.length,
    5,
    CLUSTER_SEED,
    PROBE_OPTIONS,
    groups,
  );
  console.log(
    `copies: exact_copies=${copies} knn1_full_distinct=${knnFullDistinct.toFixed(3)} knn1_3d_distinct=${knn3dDistinct.toFixed(3)} probe_acc_grouped=${probeAccGrouped.toFixed(3)} (copies of a file left out together / kept in one fold)`,
  );
  console.log(
    `clusters: kmeans_k=${labelNames.length} hdbscan_clusters=${hd.clusterCount} hdbscan_noise=${hd.labels.filter((l) => l < 0).length} hdbscan_ari=${hdbscanAri.toFixed(3)}`,
  );
  const embed = state.stages['embed'];
  const during = result.tasks.filter(
    (t) =>
      embed?.startedAt != null &&
      embed.finishedAt != null &&
      t.start + t.duration >= embed.startedAt &&
      t.start <= embed.finishedAt,
  );
  const longest = during.reduce((m, t) => Math.max(m, t.duration), 0);
  console.log(
    `model=${state.model?.modelId} backend=${state.model?.backend} threads=${state.model?.threads} granularity=${snap.granularity}`,
  );
  console.log(`responsiveness: long_tasks_during_embed=${during.length} longest_ms=${longest.toFixed(0)}`);
  console.log(
    `hover: samples=${latencies.length} median_start_ms=${(latencies[Math.floor(latencies.length / 2)] ?? NaN).toFixed(1)} (request → source scheduled + context output latency)`,
  );
  console.log(
    `map: model=${state.model?.modelId ?? '?'} files=${state.fileCount} points=${n} failed=${state.failed.length} labels=${new Set(labels.filter((l) => l !== null)).size} knn1_full=${knnFull.toFixed(3)} knn1_3d=${knn3d.toFixed(3)} knn1_3d_distinct=${knn3dDistinct.toFixed(3)} exact_copies=${copies} cluster_ari=${clusterAri.toFixed(3)} probe_acc=${probeAcc.toFixed(3)} seconds=${seconds.toFixed(1)} chromium_cpu_s=${cpuSec.toFixed(1)} longest_task_ms=${longest.toFixed(0)}${longestTaskCpuMs === null ? '' : ` longest_task_cpu_ms=${longestTaskCpuMs.toFixed(0)}`} load=${loadavg()[0]!.toFixed(1)}`,
  );
} finally {
  await app.close();
}
