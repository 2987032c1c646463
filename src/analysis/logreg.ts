// Multinomial logistic regression (softmax, L2) trained by full-batch Adam on standardised features, plus k-fold
// cross-validation; pure maths, no DOM.
import { createRng } from '../lib/prng.ts';

export interface SoftmaxModel {
  dim: number;
  classes: number;
  /** classes × dim weights on standardised features. */
  weights: Float32Array;
  bias: Float32Array;
  /** Per-feature mean and 1/std used to standardise inputs. */
  mean: Float32Array;
  invStd: Float32Array;
}

export interface TrainOptions {
  /** L2 penalty on the weights (per example, i.e. the loss is mean NLL + l2/2·‖W‖²). */
  l2?: number;
  iterations?: number;
  learningRate?: number;
}

/** Fit on rows `rows` of X (n × dim) with class ids y[i] in 0..classes-1 (only the listed rows are used). */
export function trainSoftmax(
  x: Float32Array,
  dim: number,
  rows: ArrayLike<number>,
  y: ArrayLike<number>,
  classes: number,
  opts: TrainOptions = {},
): SoftmaxModel {
  const l2 = opts.l2 ?? 1e-2;
  const iterations = opts.iterations ?? 200;
  const lr = opts.learningRate ?? 0.05;
  const n = rows.length;
  const mean = new Float32Array(dim);
  const invStd = new Float32Array(dim);
  for (let i = 0; i < n; i++) {
    const r = rows[i]!;
    for (let d = 0; d < dim; d++) mean[d]! += x[r * dim + d]! / n;
  }
  for (let i = 0; i < n; i++) {
    const r = rows[i]!;
    for (let d = 0; d < dim; d++) {
      const v = x[r * dim + d]! - mean[d]!;
      invStd[d]! += (v * v) / n;
    }
  }
  for (let d = 0; d < dim; d++) invStd[d] = 1 / Math.sqrt(invStd[d]! + 1e-8);
  // Standardised copy of the training rows.
  const z = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    const r = rows[i]!;
    for (let d = 0; d < dim; d++) z[i * dim + d] = (x[r * dim + d]! - mean[d]!) * invStd[d]!;
  }
  const w = new Float32Array(classes * dim);
  const b = new Float32Array(classes);
  const gw = new Float32Array(classes * dim);
  const gb = new Float32Array(classes);
  const mw = new Float32Array(classes * dim);
  const vw = new Float32Array(classes * dim);
  const mb = new Float32Array(classes);
  const vb = new Float32Array(classes);
  const p = new Float64Array(classes);
  const beta1 = 0.9;
  const beta2 = 0.999;
  for (let it = 1; it <= iterations && n > 0; it++) {
    gw.fill(0);
    gb.fill(0);
    for (let i = 0; i < n; i++) {
      const zi = i * dim;
      let max = -Infinity;
      for (let c = 0; c < classes; c++) {
        let s = b[c]!;
        const wc = c * dim;
        for (let d = 0; d < dim; d++) s += w[wc + d]! * z[zi + d]!;
        p[c] = s;
        if (s > max) max = s;
      }
      let sum = 0;
      for (let c = 0; c < classes; c++) {
        p[c] = Math.exp(p[c]! - max);
        sum += p[c]!;
      }
      const yi = y[i]!;
      for (let c = 0; c < classes; c++) {
        const g = (p[c]! / sum - (c === yi ? 1 : 0)) / n;
        if (g === 0) continue;
        gb[c]! += g;
        const wc = c * dim;
        for (let d = 0; d < dim; d++) gw[wc + d]! += g * z[zi + d]!;
      }
    }
    const c1 = 1 - beta1 ** it;
    const c2 = 1 - beta2 ** it;
    for (let j = 0; j < w.length; j++) {
      const g = gw[j]! + l2 * w[j]!;
      mw[j] = beta1 * mw[j]! + (1 - beta1) * g;
      vw[j] = beta2 * vw[j]! + (1 - beta2) * g * g;
      w[j]! -= (lr * (mw[j]! / c1)) / (Math.sqrt(vw[j]! / c2) + 1e-8);
    }
    for (let c = 0; c < classes; c++) {
      const g = gb[c]!;
      mb[c] = beta1 * mb[c]! + (1 - beta1) * g;
      vb[c] = beta2 * vb[c]! + (1 - beta2) * g * g;
      b[c]! -= (lr * (mb[c]! / c1)) / (Math.sqrt(vb[c]! / c2) + 1e-8);
    }
  }
  return { dim, classes, weights: w, bias: b, mean, invStd };
}

/** Class probabilities (rows × classes) for every row of X (n × dim). */
export function predictSoftmax(model: SoftmaxModel, x: Float32Array, n: number): Float32Array {
  const { dim, classes, weights, bias, mean, invStd } = model;
  const out = new Float32Array(n * classes);
  const z = new Float64Array(dim);
  const s = new Float64Array(classes);
  for (let i = 0; i < n; i++) {
    for (let d = 0; d < dim; d++) z[d] = (x[i * dim + d]! - mean[d]!) * invStd[d]!;
    let max = -Infinity;
    for (let c = 0; c < classes; c++) {
      let v = bias[c]!;
      for (let d = 0; d < dim; d++) v += weights[c * dim + d]! * z[d]!;
      s[c] = v;
      if (v > max) max = v;
    }
    let sum = 0;
    for (let c = 0; c < classes; c++) {
      s[c] = Math.exp(s[c]! - max);
      sum += s[c]!;
    }
    for (let c = 0; c < classes; c++) out[i * classes + c] = s[c]! / sum;
  }
  return out;
}

/** Argmax and its probability per row of a (rows × classes) probability matrix. */
export function argmaxRows(prob: Float32Array, classes: number): { predicted: Int32Array; confidence: Float32Array } {
  const n = classes > 0 ? prob.length / classes : 0;
  const predicted = new Int32Array(n);
  const confidence = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (prob[i * classes + c]! > prob[i * classes + best]!) best = c;
    predicted[i] = best;
    confidence[i] = prob[i * classes + best]!;
  }
  return { predicted, confidence };
}

/**
 * Stratified k-fold accuracy: rows are shuffled (seeded), dealt to folds class by class, and each fold is predicted
 * by a model trained on the others. y[i] < 0 marks a row with no label (left out). With `groups`, rows of one group
 * (copies of one file, the windows of one file) go to the same fold, so no fold is tested on what it trained on.
 */
export function crossValidateSoftmax(
  x: Float32Array,
  dim: number,
  y: Int32Array,
  classes: number,
  folds = 5,
  seed = 1,
  opts: TrainOptions = {},
  groups?: Int32Array,
): number {
  const rng = createRng(seed);
  const labelled: number[] = [];
  for (let i = 0; i < y.length; i++) if (y[i]! >= 0) labelled.push(i);
  const fold = new Int32Array(y.length).fill(-1);
  if (groups) {
    // Deal whole groups: shuffled, ordered by their first row's class (stratified), then round-robin.
    const members = new Map<number, number[]>();
    for (const r of labelled) {
      const g = groups[r] ?? -1 - r;
      const list = members.get(g);
      if (list) list.push(r);
      else members.set(g, [r]);
    }
    const units = [...members.values()];
    for (let i = units.length - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      [units[i], units[j]] = [units[j]!, units[i]!];
    }
    units.sort((a, b) => y[a[0]!]! - y[b[0]!]!);
    units.forEach((unit, k) => unit.forEach((r) => (fold[r] = k % folds)));
  } else {
    for (let i = labelled.length - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      [labelled[i], labelled[j]] = [labelled[j]!, labelled[i]!];
    }
    labelled.sort((a, b) => y[a]! - y[b]!); // stable: shuffled order within each class
    labelled.forEach((row, k) => (fold[row] = k % folds));
  }
  let correct = 0;
  let total = 0;
  for (let f = 0; f < folds; f++) {
    const train = labelled.filter((r) => fold[r] !== f);
    const test = labelled.filter((r) => fold[r] === f);
    if (test.length === 0 || train.length === 0) continue;
    const model = trainSoftmax(
      x,
      dim,
      train,
      train.map((r) => y[r]!),
      classes,
      opts,
    );
    const testX = new Float32Array(test.length * dim);
    test.forEach((r, i) => testX.set(x.subarray(r * dim, (r + 1) * dim), i * dim));
    const { predicted } = argmaxRows(predictSoftmax(model, testX, test.length), classes);
    test.forEach((r, i) => {
      total++;
      if (predicted[i] === y[r]) correct++;
    });
  }
  return total === 0 ? NaN : correct / total;
}
