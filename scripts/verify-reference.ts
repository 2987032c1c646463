// verify:reference — our frontend and model path against ../shared/models/yamnet/reference, in Node
// (dsp/ + onnxruntime-node) and through the real AudioWorklet in headless Chromium. Last line is the figure.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { verifyReferenceNode } from './verifyReferenceNode.ts';
import { openApp } from './lib/browser.ts';
import { diffStats, hasReference, loadReferenceCases, workletLogMel } from '../e2e/support/reference.ts';
import { parseWav } from '../src/dsp/wav.ts';
import { mixdown } from '../src/dsp/mixdown.ts';
import { sharedDir } from '../src/lib/sharedPaths.ts';

if (!hasReference()) {
  console.error('verify:reference needs ../shared/models/yamnet/reference (set EARSHOT_SHARED_DIR or put ../shared beside the repo)');
  process.exit(2);
}

const node = await verifyReferenceNode();
const cases = loadReferenceCases();
const app = await openApp({ path: '/e2e/blank.html' });
let workletMax = 0;
let workletMean = 0;
let workletResampledMax = 0;
try {
  for (const c of cases) {
    const d = diffStats(await workletLogMel(app.page, c.wave), c.logmel);
    console.log(`worklet ${c.name}: max_abs=${d.maxAbs.toExponential(2)} mean_abs=${d.meanAbs.toExponential(2)}`);
    workletMax = Math.max(workletMax, d.maxAbs);
    workletMean = Math.max(workletMean, d.meanAbs);
  }
  // The insect case from its 25 kHz original, resampled inside the worklet.
  const wav = parseWav(readFileSync(join(sharedDir(), 'data/insects/audio/1-100-A-0.wav')));
  const insect = cases.find((c) => c.name === 'insect_16k');
  if (insect) {
    const d = diffStats(await workletLogMel(app.page, mixdown(wav.channels), wav.sampleRateHz), insect.logmel);
    workletResampledMax = d.maxAbs;
    console.log(`worklet insect_16k from ${wav.sampleRateHz} Hz original: max_abs=${d.maxAbs.toExponential(2)} mean_abs=${d.meanAbs.toExponential(2)}`);
  }
} finally {
  await app.close();
}

console.log(`node resampled insect: min_cos=${node.resampledInsectMinCos.toFixed(6)} wave_max_abs=${node.resampledInsectWaveMaxAbs.toExponential(2)}; worklet mean_abs=${workletMean.toExponential(2)} resampled_max_abs=${workletResampledMax.toExponential(2)}`);
const ok = node.logmelMaxAbs <= 0.01 && node.logmelMeanAbs <= 0.001 && node.embedMinCos >= 0.999 && workletMax <= 0.01 && workletMean <= 0.001;
console.log(
  `reference: cases=${node.cases} logmel_max_abs=${node.logmelMaxAbs.toExponential(2)} logmel_mean_abs=${node.logmelMeanAbs.toExponential(2)} embed_min_cos=${node.embedMinCos.toFixed(6)} worklet_logmel_max_abs=${workletMax.toExponential(2)}`,
);
process.exit(ok ? 0 : 1);
