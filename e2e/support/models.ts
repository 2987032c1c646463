// Small ONNX models built in the test with onnxWriter (a waveform-input embedder with scores, a wrong-shape one, one with an unknown operator) and a Node reference for the waveform model. Node side; nothing here is a committed model.
import { readFileSync } from 'node:fs';
import { GraphBuilder, encodeModel } from '../../src/embed/onnx/onnxWriter.ts';
import { parseWav } from '../../src/dsp/wav.ts';
import { mixdown } from '../../src/dsp/mixdown.ts';
import { resampleAll } from '../../src/dsp/resample.ts';
import { WaveformWindower } from '../../src/dsp/waveformWindower.ts';
import { createRng } from '../../src/lib/prng.ts';

/** Humpback-style: 10 kHz, 1 s windows every 0.5 s. */
export const WAVE_RATE_HZ = 10_000;
export const WAVE_WINDOW = 10_000;
export const WAVE_HOP = 5_000;
const SEGMENTS = 10;
const PROJECTIONS = 6;
export const WAVE_DIM = SEGMENTS + PROJECTIONS;
export const WAVE_CLASSES = ['steady', 'rising', 'falling'];

function projection(): Float32Array {
  const rng = createRng(7);
  return Float32Array.from({ length: WAVE_WINDOW * PROJECTIONS }, () => (rng() * 2 - 1) / 100);
}

const SCORE_W = Float32Array.from({ length: SEGMENTS * 3 }, (_, i) => {
  const seg = Math.floor(i / 3);
  const cls = i % 3;
  return cls === 0 ? 0.5 : cls === 1 ? (seg - 4.5) * 2 : (4.5 - seg) * 2;
});

/**
 * embedding = [RMS of each 0.1 s segment (10), |random projections| (6)]; scores = sigmoid(RMS · W).
 * Input "waveform" [N, 10000]: exactly what a waveform manifest at 10 kHz, 1 s asks for.
 */
export function buildWaveformModel(inputShape: (number | string)[] = ['N', WAVE_WINDOW]): Uint8Array {
  const g = new GraphBuilder('tiny_wave');
  const x = g.input('waveform', 'float32', inputShape);
  const flat = g.node('Reshape', [x, g.constant('flat', 'int64', [2], [0, -1])]);
  const seg = g.node('Reshape', [flat, g.constant('seg', 'int64', [3], [0, SEGMENTS, -1])]);
  const ms = g.node('ReduceMean', [g.node('Mul', [seg, seg])], { axes: [2], keepdims: 0 });
  const rms = g.node('Sqrt', [g.node('Add', [ms, g.constant('eps', 'float32', [], [1e-8])])]);
  const proj = g.node('Abs', [
    g.node('MatMul', [flat, g.constant('proj', 'float32', [WAVE_WINDOW, PROJECTIONS], projection())]),
  ]);
  g.node('Concat', [rms, proj], { axis: 1 }, { outputs: ['embedding'] });
  g.node(
    'Sigmoid',
    [g.node('MatMul', [rms, g.constant('w', 'float32', [SEGMENTS, 3], SCORE_W)])],
    {},
    { outputs: ['scores'] },
  );
  g.output('embedding', 'float32', ['N', WAVE_DIM]);
  g.output('scores', 'float32', ['N', 3]);
  return encodeModel(g);
}

/** A model whose one node is an operator no backend has. */
export function buildUnknownOpModel(): Uint8Array {
  const g = new GraphBuilder('unknown_op');
  const x = g.input('log_mel', 'float32', ['N', 96, 64]);
  g.node('EarshotNoSuchOp', [x], {}, { outputs: ['embedding'] });
  g.output('embedding', 'float32', ['N', 8]);
  return encodeModel(g);
}

export function waveformManifest(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    manifestVersion: 1,
    id: 'tiny-wave',
    name: 'Tiny waveform model (test)',
    source: { file: 'tiny-wave.onnx' },
    input: { kind: 'waveform', name: 'waveform', sampleRateHz: WAVE_RATE_HZ },
    windowSec: WAVE_WINDOW / WAVE_RATE_HZ,
    hopSec: WAVE_HOP / WAVE_RATE_HZ,
    outputs: { embedding: 'embedding', scores: 'scores', classMapUrl: '/e2e-tiny-wave-classes.csv' },
    embeddingDim: WAVE_DIM,
    license: 'MIT',
    ...extra,
  };
}

export const WAVE_CLASS_CSV = `index,mid,display_name\r\n${WAVE_CLASSES.map((c, i) => `${i},/t/${i},${c}`).join('\r\n')}\r\n`;

/** The per-file mean embedding the app should produce for a WAV file, computed in Node (float64 maths). */
export function referenceFileEmbedding(path: string): Float64Array {
  const wav = parseWav(new Uint8Array(readFileSync(path)));
  const x = resampleAll(mixdown(wav.channels), wav.sampleRateHz, WAVE_RATE_HZ);
  const p = projection();
  const sum = new Float64Array(WAVE_DIM);
  let n = 0;
  const windower = new WaveformWindower(WAVE_WINDOW, WAVE_HOP, (w) => {
    n++;
    for (let s = 0; s < SEGMENTS; s++) {
      let e = 0;
      for (let i = s * 1000; i < (s + 1) * 1000; i++) e += (w[i] ?? 0) ** 2;
      sum[s] = (sum[s] ?? 0) + Math.sqrt(e / 1000 + 1e-8);
    }
    for (let j = 0; j < PROJECTIONS; j++) {
      let acc = 0;
      for (let i = 0; i < WAVE_WINDOW; i++) acc += (w[i] ?? 0) * (p[i * PROJECTIONS + j] ?? 0);
      sum[SEGMENTS + j] = (sum[SEGMENTS + j] ?? 0) + Math.abs(acc);
    }
  });
  windower.push(x);
  windower.finish();
  return sum.map((v) => v / n);
}
