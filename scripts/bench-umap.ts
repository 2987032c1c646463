// Benchmark: times layout3d on N seeded random-cluster points of dim 1024 (usage: npm run bench:umap -- [--points N] [--threads T]); reads nothing, writes only stdout.
// --threads: SGD threads as the app's reduce worker uses them (default: one per core, at most 4; 1 = the seeded single-thread layout).
import { availableParallelism } from 'node:os';
import { createRng, gaussian } from '../src/lib/prng.ts';
import { layout3d } from '../src/reduce/layout3d.ts';
import { nodeSgdThreads } from './lib/nodeSgdThreads.ts';

const DIM = 1024;
const PCA_DIMS = 64;
const CLUSTERS = 20;
/** 1-NN agreement is O(queries · N); above this many points it is measured on a seeded sample of queries. */
const MAX_AGREEMENT_QUERIES = 5000;

function parsePointCount(argv: readonly string[]): number {
  let raw: string | undefined;
  for (let a = 0; a < argv.length; a++) {
    const arg = argv[a]!;
    if (arg === '--threads') a++;
    else if (arg === '--points') raw = argv[++a];
    else if (arg.startsWith('--points=')) raw = arg.slice('--points='.length);
    else if (/^\d+$/.test(arg)) raw = arg; // the old positional form
  }
  const n = Number(raw ?? '10000');
  if (!Number.isInteger(n) || n < 0) {
    console.error(`usage: npm run bench:umap -- [--points N]   (N a non-negative integer, got ${raw})`);
    process.exit(2);
  }
  return n;
}

const pointCount = parsePointCount(process.argv.slice(2));
const threadsArg = process.argv.slice(2).findIndex((a) => a === '--threads');
const sgdThreadCount = Math.max(
  1,
  Math.floor(Number(threadsArg >= 0 ? process.argv[threadsArg + 3] : Math.min(4, availableParallelism()))) || 1,
);

// Clusters like audio-embedding classes: distinct centres, within-cluster spread comparable to the
// centre separation in any one coordinate, so the structure only shows up across many dimensions.
const rng = createRng(12345);
const centres = new Float32Array(CLUSTERS * DIM);
for (let i = 0; i < centres.length; i++) centres[i] = gaussian(rng);
const data = new Float32Array(pointCount * DIM);
const labels = new Int32Array(pointCount);
for (let p = 0; p < pointCount; p++) {
  const cluster = p % CLUSTERS;
  labels[p] = cluster;
  for (let j = 0; j < DIM; j++) data[p * DIM + j] = centres[cluster * DIM + j]! + 0.8 * gaussian(rng);
}

const started = performance.now();
const cpuStarted = process.cpuUsage();
const elapsedSeconds = (): string => ((performance.now() - started) / 1000).toFixed(1);
// CPU seconds of this process: on a shared, loaded machine wall time mostly measures the neighbours.
const cpuSeconds = (): string =>
  ((process.cpuUsage(cpuStarted).user + process.cpuUsage(cpuStarted).system) / 1e6).toFixed(1);
let lastStage = '';
const positions = await layout3d(data, pointCount, DIM, {
  seed: 1,
  pcaDims: PCA_DIMS,
  sgdThreads: nodeSgdThreads(sgdThreadCount - 1),
  onProgress: (_done, _total, stage) => {
    if (stage !== lastStage) console.log(`  ${stage} started at ${elapsedSeconds()} s (cpu ${cpuSeconds()} s)`);
    lastStage = stage;
  },
});
const wallSeconds = (performance.now() - started) / 1000;
console.log(`  layout done at ${wallSeconds.toFixed(1)} s (cpu ${cpuSeconds()} s, SGD threads ${sgdThreadCount})`);

if (pointCount >= 2) {
  // Leave-one-out 1-NN in the 3D layout: does each point's nearest other point share its cluster?
  const queries = Math.min(pointCount, MAX_AGREEMENT_QUERIES);
  const pick = createRng(99);
  let agree = 0;
  for (let q = 0; q < queries; q++) {
    const i = queries === pointCount ? q : Math.floor(pick() * pointCount);
    const x = positions[i * 3]!,
      y = positions[i * 3 + 1]!,
      z = positions[i * 3 + 2]!;
    let best = -1;
    let bestD2 = Number.POSITIVE_INFINITY;
    for (let j = 0; j < pointCount; j++) {
      if (j === i) continue;
      const dx = positions[j * 3]! - x,
        dy = positions[j * 3 + 1]! - y,
        dz = positions[j * 3 + 2]! - z;
      const d2 = dx * dx + dy * dy + dz * dz;
      if (d2 < bestD2) {
        bestD2 = d2;
        best = j;
      }
    }
    if (best >= 0 && labels[best] === labels[i]) agree++;
  }
  const scope = queries === pointCount ? 'all points' : `${queries} sampled queries vs all ${pointCount} points`;
  console.log(`  3D 1-NN cluster agreement: ${(agree / queries).toFixed(3)} (${CLUSTERS} clusters; ${scope})`);
}
// maxRSS is the process's peak resident set in KiB (Linux), including Node's own ~50 MB baseline and the
// input matrix itself (points × 1024 float32: 410 MB at 1e5).
const peakRssMb = process.resourceUsage().maxRSS / 1024;
console.log(
  `umap: points=${pointCount} dims=${DIM} wall_s=${wallSeconds.toFixed(2)} peak_rss_mb=${peakRssMb.toFixed(0)}`,
);
