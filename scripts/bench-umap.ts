// Benchmark: times layout3d on N seeded random-cluster points of dim 1024 (usage: npx tsx scripts/bench-umap.ts [N]); reads nothing, writes only stdout.
import { createRng, gaussian } from '../src/lib/prng.ts';
import { layout3d } from '../src/reduce/layout3d.ts';
import { leaveOneOut1nnAgreement } from '../src/reduce/knn.ts';

const DIM = 1024;
const PCA_DIMS = 64;
const CLUSTERS = 20;

const pointCount = Number.parseInt(process.argv[2] ?? '10000', 10);
if (!Number.isInteger(pointCount) || pointCount < 0) {
  console.error(`usage: npx tsx scripts/bench-umap.ts [N]   (N a non-negative integer, got ${process.argv[2]})`);
  process.exit(2);
}

// Clusters like audio-embedding classes: distinct centres, within-cluster spread comparable to the
// centre separation in any one coordinate, so the structure only shows up across many dimensions.
const rng = createRng(12345);
const centres = new Float32Array(CLUSTERS * DIM);
for (let i = 0; i < centres.length; i++) centres[i] = gaussian(rng);
const data = new Float32Array(pointCount * DIM);
const labels: string[] = new Array<string>(pointCount);
for (let p = 0; p < pointCount; p++) {
  const cluster = p % CLUSTERS;
  labels[p] = `c${cluster}`;
  for (let j = 0; j < DIM; j++) data[p * DIM + j] = centres[cluster * DIM + j]! + 0.8 * gaussian(rng);
}

const started = performance.now();
const elapsedSeconds = (): string => ((performance.now() - started) / 1000).toFixed(1);
let lastStage = '';
const positions = await layout3d(data, pointCount, DIM, {
  seed: 1,
  pcaDims: PCA_DIMS,
  onProgress: (_done, _total, stage) => {
    // umap's start is reported after umap-js's synchronous initializeFit, so "knn → umap" includes graph building.
    if (stage !== lastStage) console.log(`  ${stage} reported at ${elapsedSeconds()} s`);
    lastStage = stage;
  },
});
const wallSeconds = (performance.now() - started) / 1000;

if (pointCount >= 2) {
  const agreement = leaveOneOut1nnAgreement(positions, pointCount, 3, labels, 'euclidean');
  console.log(`  3D 1-NN cluster agreement: ${agreement.toFixed(3)} (${CLUSTERS} clusters)`);
}
// maxRSS is the process's peak resident set in KiB (Linux), including Node's own ~50 MB baseline.
const peakRssMb = process.resourceUsage().maxRSS / 1024;
console.log(`umap: points=${pointCount} dim=${DIM} pca=${PCA_DIMS} wall_s=${wallSeconds.toFixed(2)} peak_rss_mb=${peakRssMb.toFixed(0)}`);
