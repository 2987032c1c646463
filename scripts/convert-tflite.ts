// Converts a YAMNet TFLite file into Earshot's ONNX patch model (npx tsx scripts/convert-tflite.ts <in.tflite> <out.onnx>); must not download anything or write anywhere but <out.onnx>.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { readTfliteModel } from '../src/embed/tflite/schema.ts';
import { convertYamnetTfliteWithReport, summarizeTflite } from '../src/embed/tflite/yamnetFromTflite.ts';

const [inArg, outArg] = process.argv.slice(2);
if (inArg === undefined || outArg === undefined) {
  console.error('usage: npx tsx scripts/convert-tflite.ts <in.tflite> <out.onnx>');
  process.exit(2);
}

const input = new Uint8Array(readFileSync(resolve(inArg)));
try {
  console.log(summarizeTflite(readTfliteModel(input)));
  const t0 = performance.now();
  const { onnx, report } = convertYamnetTfliteWithReport(input);
  const ms = performance.now() - t0;
  const outPath = resolve(outArg);
  mkdirSync(dirname(outPath), { recursive: true });
  writeFileSync(outPath, onnx);
  console.log(`skipped (frontend): ${report.skippedOps.join(' ')}`);
  console.log(
    `onnx ops: ${Object.entries(report.onnxOps)
      .map(([k, v]) => `${k}×${v}`)
      .join(', ')}`,
  );
  console.log(`weights: ${report.dequantisedWeights} dequantised, ${report.floatWeights} float`);
  console.log(`entry '${report.entryTensor}' → embedding [N,${report.embeddingDim}], scores [N,${report.classCount}]`);
  console.log(`wrote ${outPath} (${onnx.length} bytes) in ${ms.toFixed(0)} ms`);
} catch (e) {
  // Parse and translation errors carry what was being read; a stack adds nothing for a bad file.
  console.error(`convert-tflite: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
  process.exit(1);
}
