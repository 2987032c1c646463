// verify:reference — our frontends and model paths against ../shared's reference vectors, for YAMNet and EfficientAT
// mn04, in Node (dsp/ + onnxruntime-node) and through the real AudioWorklet in headless Chromium. One "reference:" line
// per model; the last line is the verdict with wall and CPU seconds. Exits 1 when any figure is outside its tolerance.
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { verifyEfficientAtNode, verifyReferenceNode } from './verifyReferenceNode.ts';
import { openApp } from './lib/browser.ts';
import { chromiumCpuSec } from './lib/procTree.ts';
import {
  diffStats,
  hasEfficientAtReference,
  hasReference,
  loadEfficientAtCases,
  loadReferenceCases,
  workletEfficientAtLogMel,
  workletLogMel,
} from '../e2e/support/reference.ts';
import { parseWav } from '../src/dsp/wav.ts';
import { mixdown } from '../src/dsp/mixdown.ts';
import { sharedDir } from '../src/lib/sharedPaths.ts';

if (!hasReference() && !hasEfficientAtReference()) {
  console.error(
    'verify:reference needs ../shared/models/{yamnet,efficientat-mn04}/reference (set EARSHOT_SHARED_DIR or put ../shared beside the repo)',
  );
  process.exit(2);
}
const t0 = performance.now();
const cpu0 = process.cpuUsage();
const verdicts: { model: string; ok: boolean }[] = [];
const app = await openApp({ path: '/e2e/blank.html' });
let browserCpuSec: number;
try {
  if (hasReference()) {
    const node = await verifyReferenceNode();
    let workletMax = 0;
    let workletMean = 0;
    let workletResampledMax = 0;
    for (const c of loadReferenceCases()) {
      const d = diffStats(await workletLogMel(app.page, c.wave), c.logmel);
      console.log(
        `yamnet worklet ${c.name}: max_abs=${d.maxAbs.toExponential(2)} mean_abs=${d.meanAbs.toExponential(2)}`,
      );
      workletMax = Math.max(workletMax, d.maxAbs);
      workletMean = Math.max(workletMean, d.meanAbs);
    }
    // The insect case from its 25 kHz original, resampled inside the worklet.
    const wav = parseWav(readFileSync(join(sharedDir(), 'data/insects/audio/1-100-A-0.wav')));
    const insect = loadReferenceCases().find((c) => c.name === 'insect_16k');
    if (insect) {
      const d = diffStats(await workletLogMel(app.page, mixdown(wav.channels), wav.sampleRateHz), insect.logmel);
      workletResampledMax = d.maxAbs;
      console.log(
        `yamnet worklet insect_16k from ${wav.sampleRateHz} Hz original: max_abs=${d.maxAbs.toExponential(2)} mean_abs=${d.meanAbs.toExponential(2)}`,
      );
    }
    console.log(
      `yamnet node resampled insect: min_cos=${node.resampledInsectMinCos.toFixed(6)} wave_max_abs=${node.resampledInsectWaveMaxAbs.toExponential(2)}; worklet mean_abs=${workletMean.toExponential(2)} resampled_max_abs=${workletResampledMax.toExponential(2)}`,
    );
    // YAMNet's manifest tolerances (models/yamnet/MODEL.md).
    const ok =
      node.logmelMaxAbs <= 0.01 &&
      node.logmelMeanAbs <= 0.001 &&
      node.embedMinCos >= 0.999 &&
      workletMax <= 0.01 &&
      workletMean <= 0.001;
    verdicts.push({ model: 'yamnet', ok });
    console.log(
      `reference: model=yamnet cases=${node.cases} logmel_max_abs=${node.logmelMaxAbs.toExponential(2)} logmel_mean_abs=${node.logmelMeanAbs.toExponential(2)} embed_min_cos=${node.embedMinCos.toFixed(6)} worklet_logmel_max_abs=${workletMax.toExponential(2)} within_tolerance=${ok ? 'yes' : 'NO'}`,
    );
  } else console.log('reference: model=yamnet SKIPPED (no ../shared/models/yamnet/reference)');

  if (hasEfficientAtReference()) {
    const node = await verifyEfficientAtNode();
    const tol = node.tolerances;
    let workletMax = 0;
    let workletMean = 0;
    for (const c of loadEfficientAtCases()) {
      const d = diffStats(await workletEfficientAtLogMel(app.page, c.wave), c.logmel);
      console.log(
        `efficientat worklet ${c.name}: max_abs=${d.maxAbs.toExponential(2)} mean_abs=${d.meanAbs.toExponential(2)}`,
      );
      workletMax = Math.max(workletMax, d.maxAbs);
      workletMean = Math.max(workletMean, d.meanAbs);
    }
    const wav = parseWav(readFileSync(join(sharedDir(), 'data/insects/audio/2-103-C-3.wav')));
    const insect = loadEfficientAtCases().find((c) => c.name === 'insect_32k');
    if (insect) {
      const d = diffStats(
        await workletEfficientAtLogMel(app.page, mixdown(wav.channels), wav.sampleRateHz),
        insect.logmel,
      );
      console.log(
        `efficientat worklet insect_32k from ${wav.sampleRateHz} Hz original: max_abs=${d.maxAbs.toExponential(2)} mean_abs=${d.meanAbs.toExponential(2)}`,
      );
    }
    console.log(
      `efficientat node: top_class_agree=${node.topClassAgree}/${node.cases} resampled_insect logmel_max_abs=${node.resampledInsectLogmelMaxAbs.toExponential(2)} clip_cos=${node.resampledInsectCos.toFixed(6)}; worklet mean_abs=${workletMean.toExponential(2)}`,
    );
    const ok =
      node.logmelMaxAbs <= tol.logmel_max_abs &&
      node.logmelMeanAbs <= tol.logmel_mean_abs &&
      node.embedMinCos >= tol.embedding_min_cos &&
      workletMax <= tol.logmel_max_abs &&
      workletMean <= tol.logmel_mean_abs &&
      node.topClassAgree === node.cases;
    verdicts.push({ model: 'efficientat-mn04', ok });
    console.log(
      `reference: model=efficientat-mn04 cases=${node.cases} logmel_max_abs=${node.logmelMaxAbs.toExponential(2)} logmel_mean_abs=${node.logmelMeanAbs.toExponential(2)} embed_min_cos=${node.embedMinCos.toFixed(6)} worklet_logmel_max_abs=${workletMax.toExponential(2)} within_tolerance=${ok ? 'yes' : 'NO'}`,
    );
  } else console.log('reference: model=efficientat-mn04 SKIPPED (no ../shared/models/efficientat-mn04/reference)');
  browserCpuSec = chromiumCpuSec();
} finally {
  await app.close();
}

const cpu = process.cpuUsage(cpu0);
const allOk = verdicts.length > 0 && verdicts.every((v) => v.ok);
console.log(
  `reference: ${allOk ? 'PASS' : 'FAIL'} models=${verdicts.map((v) => `${v.model}:${v.ok ? 'ok' : 'FAIL'}`).join(',')} wall_s=${((performance.now() - t0) / 1000).toFixed(1)} node_cpu_s=${((cpu.user + cpu.system) / 1e6).toFixed(1)} chromium_cpu_s=${browserCpuSec.toFixed(1)} load=${loadavg()[0]!.toFixed(1)}`,
);
process.exit(allOk ? 0 : 1);
