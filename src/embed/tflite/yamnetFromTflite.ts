// Converts a YAMNet TFLite file (waveform in, frontend inside) into Earshot's float32 ONNX patch model (log_mel [N,96,64] → embedding, scores); pure: no DOM, no Node, never runs the model.
//
// How: parse the FlatBuffer (schema.ts), find the conv stack's entry — the first CONV_2D fed an
// NHWC [1, 96, 64, 1] patch — and translate every operator reachable from it into ONNX. Operators
// before it (framing, RFFT, mel matmul, log, patching) are the waveform frontend, which Earshot
// runs itself (src/dsp/yamnetFrontend.ts), so they are skipped. Int8 weights are dequantised with
// their per-channel scales in float32 (exactly how models/yamnet/yamnet.onnx was made); activation
// quantisation, if any, is ignored: the ONNX runs in float.
//
// Layout: TFLite is NHWC, ONNX Conv is NCHW. Each translated tensor carries its layout; 4-D
// activations stay NCHW between convs and are transposed back only where an op needs TFLite's
// element order (Reshape, FullyConnected on a 4-D input).
import { GraphBuilder, encodeModel } from '../onnx/onnxWriter.ts';
import { BuiltinOperator, TensorType, builtinOperatorName, readTfliteModel, tensorTypeName } from './schema.ts';
import type { Activation, Operator, Padding, SubGraph, Tensor, TfliteModel } from './schema.ts';

/** Thrown when the TFLite graph holds something this converter cannot translate faithfully. */
export class TfliteConvertError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TfliteConvertError';
  }
}

export interface ConvertOptions {
  /** Frames per patch (TFLite H of the entry tensor). */
  readonly patchFrames?: number;
  /** Mel bands (TFLite W of the entry tensor). */
  readonly melBands?: number;
  readonly inputName?: string;
  readonly embeddingName?: string;
  readonly scoresName?: string;
}

export interface ConvertReport {
  /** Count of each operator in the TFLite subgraph, e.g. { CONV_2D: 14, ... }. */
  readonly tfliteOps: Readonly<Record<string, number>>;
  /** Operators before the conv stack's entry (the waveform frontend), not translated. */
  readonly skippedOps: readonly string[];
  /** Operators translated, in order. */
  readonly translatedOps: readonly string[];
  /** Count of each ONNX op emitted. */
  readonly onnxOps: Readonly<Record<string, number>>;
  readonly entryTensor: string;
  readonly embeddingTensor: string;
  readonly scoresTensor: string;
  readonly embeddingDim: number;
  readonly classCount: number;
  /** Weight elements that were int8/uint8/int16/int32 and got dequantised. */
  readonly dequantisedWeights: number;
  readonly floatWeights: number;
}

export interface ConvertResult {
  readonly onnx: Uint8Array;
  readonly report: ConvertReport;
}

/** A human-readable op summary of a TFLite file (what the converter will see). */
export function summarizeTflite(model: TfliteModel): string {
  const lines: string[] = [];
  lines.push(
    `TFLite schema v${model.version}, ${model.subgraphs.length} subgraph(s), ${model.buffers.length} buffers, description '${model.description}'`,
  );
  model.subgraphs.forEach((sg, si) => {
    const counts = countBy(sg.operators.map((o) => o.opName));
    lines.push(`subgraph ${si} '${sg.name}': ${sg.tensors.length} tensors, ${sg.operators.length} operators`);
    lines.push(
      `  ops: ${Object.entries(counts)
        .map(([k, v]) => `${k}×${v}`)
        .join(', ')}`,
    );
    for (const i of sg.inputs) lines.push(`  input  ${describeTensor(sg.tensors[i])}`);
    for (const o of sg.outputs) lines.push(`  output ${describeTensor(sg.tensors[o])}`);
  });
  return lines.join('\n');
}

function describeTensor(t: Tensor | undefined): string {
  if (t === undefined) return '(missing)';
  return `'${t.name}' ${tensorTypeName(t.type)}[${t.shape.join(',')}]`;
}

function countBy(names: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const n of names) out[n] = (out[n] ?? 0) + 1;
  return out;
}

/** Converts a YAMNet TFLite file to ONNX bytes (float32, opset 13). Throws Error with a reason on anything it cannot read or translate. */
export function convertYamnetTflite(tflite: Uint8Array, options: ConvertOptions = {}): Uint8Array {
  return convertYamnetTfliteWithReport(tflite, options).onnx;
}

/** As convertYamnetTflite, plus a report of what was skipped and translated. */
export function convertYamnetTfliteWithReport(tflite: Uint8Array, options: ConvertOptions = {}): ConvertResult {
  const model = readTfliteModel(tflite);
  const sg = model.subgraphs[0];
  if (sg === undefined) throw new TfliteConvertError('TFLite model has no subgraph');
  return new Converter(model, sg, options).run();
}

// ---------------------------------------------------------------------------------------------

type Layout = 'nchw' | 'plain';

interface Value {
  /** ONNX value name. */
  readonly name: string;
  /** 'nchw': a 4-D TFLite NHWC tensor held as NCHW; 'plain': TFLite's own order. */
  readonly layout: Layout;
  /** TFLite shape (batch 1 as in the file; the ONNX batch is dynamic). */
  readonly shape: readonly number[];
}

/** float16 bits → number (IEEE 754 half), for FLOAT16 weight buffers. */
function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * f * 2 ** -24;
  if (e === 31) return f === 0 ? s * Infinity : NaN;
  return s * (1 + f / 1024) * 2 ** (e - 15);
}

function product(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/**
 * Pads (before, after) along one axis. TF 'SAME': output ceil(in/stride) and any odd pixel goes
 * after (bottom/right), unlike ONNX's symmetric default; 'VALID': none.
 */
export function padsFor(
  padding: Padding,
  inSize: number,
  kernel: number,
  stride: number,
  dilation: number,
): [number, number] {
  for (const [k, v] of Object.entries({ kernel, stride, dilation })) {
    // A corrupt file could carry 0 or negative values; they would turn into NaN pads.
    if (!Number.isInteger(v) || v < 1) throw new TfliteConvertError(`invalid ${k} ${v}`);
  }
  if (padding === 'VALID') return [0, 0];
  const effective = (kernel - 1) * dilation + 1;
  const out = Math.ceil(inSize / stride);
  const total = Math.max((out - 1) * stride + effective - inSize, 0);
  const before = Math.floor(total / 2);
  return [before, total - before];
}

class Converter {
  private readonly g: GraphBuilder;
  private readonly values = new Map<number, Value>();
  private readonly producers = new Map<number, Operator>();
  private readonly constCache = new Map<number, Float32Array>();
  private readonly onnxOps: string[] = [];
  private dequantised = 0;
  private floatWeights = 0;
  private readonly opt: Required<ConvertOptions>;

  constructor(
    private readonly model: TfliteModel,
    private readonly sg: SubGraph,
    options: ConvertOptions,
  ) {
    this.opt = {
      patchFrames: options.patchFrames ?? 96,
      melBands: options.melBands ?? 64,
      inputName: options.inputName ?? 'log_mel',
      embeddingName: options.embeddingName ?? 'embedding',
      scoresName: options.scoresName ?? 'scores',
    };
    this.g = new GraphBuilder(
      'yamnet_from_tflite',
      'YAMNet body converted from TFLite by Earshot (frontend removed; weights dequantised to float32)',
    );
    for (const op of sg.operators) for (const o of op.outputs) if (o >= 0) this.producers.set(o, op);
  }

  private tensor(i: number): Tensor {
    const t = this.sg.tensors[i];
    if (t === undefined) throw new TfliteConvertError(`tensor index ${i} out of range`);
    return t;
  }

  private node(op: string, inputs: readonly string[], attrs: Parameters<GraphBuilder['node']>[2] = {}): string {
    this.onnxOps.push(op);
    return this.g.node(op, inputs, attrs);
  }

  run(): ConvertResult {
    const { sg, opt } = this;
    const entryIndex = sg.operators.findIndex((op) => {
      if (op.builtinCode !== BuiltinOperator.CONV_2D) return false;
      const s = this.tensor(op.inputs[0] ?? -1).shape;
      return s.length === 4 && s[1] === opt.patchFrames && s[2] === opt.melBands && s[3] === 1;
    });
    const entryOp = sg.operators[entryIndex];
    if (entryOp === undefined) {
      throw new TfliteConvertError(
        `no CONV_2D takes a [1,${opt.patchFrames},${opt.melBands},1] patch: not a YAMNet-style model (ops: ${Object.keys(countBy(sg.operators.map((o) => o.opName))).join(', ')})`,
      );
    }
    const entryTensor = this.tensor(entryOp.inputs[0] ?? -1);

    // Graph input: [N, 96, 64] → [N, 1, 96, 64] (NCHW of TFLite's NHWC [1, 96, 64, 1]).
    const input = this.g.input(opt.inputName, 'float32', ['N', opt.patchFrames, opt.melBands]);
    const shape4 = this.g.constant('patch_shape', 'int64', [4], [-1, 1, opt.patchFrames, opt.melBands]);
    this.values.set(entryTensor.index, {
      name: this.node('Reshape', [input, shape4]),
      layout: 'nchw',
      shape: entryTensor.shape,
    });

    const skipped = sg.operators.slice(0, entryIndex).map((o) => o.opName);
    const translated: string[] = [];
    let classifier: Operator | undefined;
    for (const op of sg.operators.slice(entryIndex)) {
      const live = op.inputs.some((i) => i >= 0 && this.values.has(i));
      if (!live) continue; // constant folding (e.g. DEQUANTIZE of weights) is resolved on demand
      this.translate(op);
      translated.push(op.opName);
      if (op.builtinCode === BuiltinOperator.FULLY_CONNECTED) classifier = op;
    }

    // embedding = what the classifier reads (YAMNet: the global average pool, [1, 1024]).
    if (classifier === undefined) throw new TfliteConvertError('no FULLY_CONNECTED classifier after the conv stack');
    const embId = classifier.inputs[0] ?? -1;
    const emb = this.values.get(embId);
    if (emb === undefined) throw new TfliteConvertError('classifier input was not translated');
    const embeddingDim = product(emb.shape.slice(1));
    const scoresId = sg.outputs.find((o) => o !== embId && this.values.has(o) && this.tensor(o).shape.length === 2);
    if (scoresId === undefined) {
      throw new TfliteConvertError(
        `no [1, classes] subgraph output is computed from the patch (outputs: ${sg.outputs.map((o) => describeTensor(sg.tensors[o])).join(', ')})`,
      );
    }
    const scores = this.values.get(scoresId);
    if (scores === undefined) throw new TfliteConvertError('scores not translated');
    const classCount = scores.shape[1] ?? 0;

    this.g.node('Identity', [this.flatten2d(emb)], {}, { outputs: [opt.embeddingName] });
    this.g.node('Identity', [this.flatten2d(scores)], {}, { outputs: [opt.scoresName] });
    this.onnxOps.push('Identity', 'Identity');
    this.g.output(opt.embeddingName, 'float32', ['N', embeddingDim]);
    this.g.output(opt.scoresName, 'float32', ['N', classCount]);

    const onnx = encodeModel(this.g, {
      opsets: [{ domain: '', version: 13 }],
      producerName: 'earshot-tflite2onnx',
      docString: `Converted from TFLite (${this.model.description}); entry tensor '${entryTensor.name}'`,
      metadata: { source: 'tflite', entry_tensor: entryTensor.name, skipped_frontend_ops: skipped.join(',') },
    });
    return {
      onnx,
      report: {
        tfliteOps: countBy(sg.operators.map((o) => o.opName)),
        skippedOps: skipped,
        translatedOps: translated,
        onnxOps: countBy(this.onnxOps),
        entryTensor: entryTensor.name,
        embeddingTensor: this.tensor(embId).name,
        scoresTensor: this.tensor(scoresId).name,
        embeddingDim,
        classCount,
        dequantisedWeights: this.dequantised,
        floatWeights: this.floatWeights,
      },
    };
  }

  // ---- values and constants ------------------------------------------------------------------

  private value(i: number, op: Operator): Value {
    const v = this.values.get(i);
    if (v === undefined) {
      throw new TfliteConvertError(
        `operator ${op.index} (${op.opName}): input '${this.tensor(i).name}' is neither computed from the patch nor constant`,
      );
    }
    return v;
  }

  private isConstant(i: number): boolean {
    if (i < 0) return false;
    const t = this.tensor(i);
    if ((this.model.buffers[t.buffer]?.length ?? 0) > 0) return true;
    const p = this.producers.get(i);
    return p !== undefined && p.builtinCode === BuiltinOperator.DEQUANTIZE && this.isConstant(p.inputs[0] ?? -1);
  }

  /** A constant tensor as float32 in TFLite order, dequantised per channel when stored as integers. */
  private constant(i: number, what: string): Float32Array {
    const cached = this.constCache.get(i);
    if (cached) return cached;
    const t = this.tensor(i);
    const data = this.model.buffers[t.buffer];
    const n = product(t.shape);
    let out: Float32Array;
    if (data === undefined || data.length === 0) {
      const p = this.producers.get(i);
      if (p !== undefined && p.builtinCode === BuiltinOperator.DEQUANTIZE) {
        out = this.constant(p.inputs[0] ?? -1, what);
      } else {
        throw new TfliteConvertError(`${what}: tensor '${t.name}' has no data`);
      }
    } else {
      out = this.decode(t, data, n, what);
    }
    this.constCache.set(i, out);
    return out;
  }

  private decode(t: Tensor, data: Uint8Array, n: number, what: string): Float32Array {
    const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
    const width: Readonly<Record<number, number>> = {
      [TensorType.FLOAT32]: 4,
      [TensorType.FLOAT16]: 2,
      [TensorType.INT8]: 1,
      [TensorType.UINT8]: 1,
      [TensorType.INT16]: 2,
      [TensorType.INT32]: 4,
    };
    const w = width[t.type];
    if (w === undefined)
      throw new TfliteConvertError(`${what}: '${t.name}' has unsupported type ${tensorTypeName(t.type)}`);
    if (data.length !== n * w) {
      throw new TfliteConvertError(
        `${what}: '${t.name}' holds ${data.length} bytes, expected ${n * w} for ${tensorTypeName(t.type)}[${t.shape.join(',')}]`,
      );
    }
    const out = new Float32Array(n);
    if (t.type === TensorType.FLOAT32) {
      for (let k = 0; k < n; k++) out[k] = dv.getFloat32(k * 4, true);
      this.floatWeights += n;
      return out;
    }
    if (t.type === TensorType.FLOAT16) {
      for (let k = 0; k < n; k++) out[k] = halfToFloat(dv.getUint16(k * 2, true));
      this.floatWeights += n;
      return out;
    }
    const q = t.quantization;
    if (q === null) throw new TfliteConvertError(`${what}: integer tensor '${t.name}' has no quantization scale`);
    // Per-channel (or per-tensor when one scale): channel of element k = (k / stride) % dim.
    const dim = q.scale.length === 1 ? 1 : (t.shape[q.quantizedDimension] ?? 0);
    if (q.scale.length !== 1 && q.scale.length !== dim) {
      throw new TfliteConvertError(
        `${what}: '${t.name}' has ${q.scale.length} scales for dimension ${q.quantizedDimension} of size ${dim}`,
      );
    }
    const stride = q.scale.length === 1 ? 1 : product(t.shape.slice(q.quantizedDimension + 1));
    const read = (k: number): number => {
      switch (t.type) {
        case TensorType.INT8:
          return dv.getInt8(k);
        case TensorType.UINT8:
          return dv.getUint8(k);
        case TensorType.INT16:
          return dv.getInt16(k * 2, true);
        default:
          return dv.getInt32(k * 4, true);
      }
    };
    for (let k = 0; k < n; k++) {
      const c = q.scale.length === 1 ? 0 : Math.floor(k / stride) % dim;
      // (q − zp) is an exact integer and scale a float32, so the double product rounds to the same
      // float32 as float32 arithmetic would: the weights equal int8 × scale exactly as yamnet.onnx.
      out[k] = (read(k) - (q.zeroPoint[c] ?? q.zeroPoint[0] ?? 0)) * (q.scale[c] ?? 0);
    }
    this.dequantised += n;
    return out;
  }

  /** An INT32/INT64 constant read as plain integers (axes, shapes): no quantization applies. */
  private intConstant(i: number, what: string): number[] {
    const t = this.tensor(i);
    const data = this.model.buffers[t.buffer];
    const n = product(t.shape);
    const w = t.type === TensorType.INT32 ? 4 : t.type === TensorType.INT64 ? 8 : 0;
    if (w === 0 || data === undefined || data.length !== n * w) {
      throw new TfliteConvertError(`${what}: '${t.name}' is not a constant INT32/INT64 [${t.shape.join(',')}]`);
    }
    const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
    return Array.from({ length: n }, (_, k) =>
      w === 4 ? dv.getInt32(k * 4, true) : Number(dv.getBigInt64(k * 8, true)),
    );
  }

  private initializer(prefix: string, dims: readonly number[], data: Float32Array): string {
    return this.g.constant(prefix, 'float32', dims, data);
  }

  // ---- layout helpers ------------------------------------------------------------------------

  /** The value in TFLite's element order (NCHW → NHWC transpose when needed). */
  private plain(v: Value): string {
    if (v.layout === 'plain') return v.name;
    return this.node('Transpose', [v.name], { perm: [0, 2, 3, 1] });
  }

  private nchw(v: Value, op: Operator): string {
    if (v.layout === 'nchw') return v.name;
    if (v.shape.length !== 4)
      throw new TfliteConvertError(
        `operator ${op.index} (${op.opName}): expects a 4-D NHWC input, got [${v.shape.join(',')}]`,
      );
    return this.node('Transpose', [v.name], { perm: [0, 3, 1, 2] });
  }

  /** [N, features] for a graph output. */
  private flatten2d(v: Value): string {
    if (v.shape.length === 2 && v.layout === 'plain') return v.name;
    return this.node('Flatten', [this.plain(v)], { axis: 1 });
  }

  private activation(x: string, a: Activation, op: Operator): string {
    switch (a) {
      case 'NONE':
        return x;
      case 'RELU':
        return this.node('Relu', [x]);
      case 'RELU6':
        return this.clip(x, 0, 6);
      case 'RELU_N1_TO_1':
        return this.clip(x, -1, 1);
      case 'TANH':
        return this.node('Tanh', [x]);
      default:
        throw new TfliteConvertError(`operator ${op.index} (${op.opName}): fused activation ${a} is not supported`);
    }
  }

  private clip(x: string, lo: number, hi: number): string {
    // Opset 13: Clip takes min/max as inputs, not attributes.
    const min = this.g.constant('clip_min', 'float32', [], [lo]);
    const max = this.g.constant('clip_max', 'float32', [], [hi]);
    return this.node('Clip', [x, min, max]);
  }

  private define(op: Operator, name: string, layout: Layout): void {
    const out = op.outputs[0];
    if (out === undefined || out < 0) throw new TfliteConvertError(`operator ${op.index} (${op.opName}) has no output`);
    this.values.set(out, { name, layout, shape: this.tensor(out).shape });
  }

  // ---- operators -----------------------------------------------------------------------------

  private translate(op: Operator): void {
    const where = `operator ${op.index} (${op.opName})`;
    // Every non-live input must be a constant; anything else would silently read frontend data.
    op.inputs.forEach((i, k) => {
      if (i >= 0 && !this.values.has(i) && !this.isConstant(i)) {
        throw new TfliteConvertError(
          `${where}: input ${k} '${this.tensor(i).name}' depends on something other than the patch`,
        );
      }
    });
    const x = this.value(op.inputs[0] ?? -1, op);
    const o = op.options;
    switch (op.builtinCode) {
      case BuiltinOperator.CONV_2D:
      case BuiltinOperator.DEPTHWISE_CONV_2D:
        this.conv(op, x);
        return;
      case BuiltinOperator.AVERAGE_POOL_2D:
      case BuiltinOperator.MAX_POOL_2D: {
        if (o?.kind !== 'Pool2DOptions') throw new TfliteConvertError(`${where}: missing Pool2DOptions`);
        const [, h = 0, w = 0] = x.shape;
        const [pt, pb] = padsFor(o.padding, h, o.filterH, o.strideH, 1);
        const [pl, pr] = padsFor(o.padding, w, o.filterW, o.strideW, 1);
        const isAvg = op.builtinCode === BuiltinOperator.AVERAGE_POOL_2D;
        // TF's SAME average pool divides by the valid pixels only: count_include_pad = 0.
        const y = this.node(isAvg ? 'AveragePool' : 'MaxPool', [this.nchw(x, op)], {
          kernel_shape: [o.filterH, o.filterW],
          strides: [o.strideH, o.strideW],
          pads: [pt, pl, pb, pr],
          ...(isAvg ? { count_include_pad: 0 } : {}),
        });
        this.define(op, this.activation(y, o.activation, op), 'nchw');
        return;
      }
      case BuiltinOperator.MEAN: {
        const axes = this.intConstant(op.inputs[1] ?? -1, `${where} axes`).map((a) => (a < 0 ? a + x.shape.length : a));
        const keepDims = o?.kind === 'ReducerOptions' ? o.keepDims : false;
        if (x.layout === 'nchw' && axes.length === 2 && axes.includes(1) && axes.includes(2)) {
          // Global average over H, W: [N, C] has the same order in both layouts; kept dims stay NCHW.
          const y = this.node('ReduceMean', [x.name], { axes: [2, 3], keepdims: keepDims ? 1 : 0 });
          this.define(op, y, keepDims ? 'nchw' : 'plain');
          return;
        }
        // Any other reduction runs in TFLite order so axes and output shape mean what they say.
        this.define(op, this.node('ReduceMean', [this.plain(x)], { axes, keepdims: keepDims ? 1 : 0 }), 'plain');
        return;
      }
      case BuiltinOperator.FULLY_CONNECTED: {
        if (o?.kind !== 'FullyConnectedOptions')
          throw new TfliteConvertError(`${where}: missing FullyConnectedOptions`);
        if (o.weightsFormat !== 0)
          throw new TfliteConvertError(`${where}: shuffled weights format ${o.weightsFormat} is not supported`);
        const wt = this.tensor(op.inputs[1] ?? -1);
        const [outF = 0, inF = 0] = wt.shape;
        const w = this.initializer('fc_weight', [outF, inF], this.constant(wt.index, `${where} weights`));
        const biasId = op.inputs[2] ?? -1;
        const b =
          biasId >= 0
            ? this.initializer('fc_bias', [outF], this.constant(biasId, `${where} bias`))
            : this.initializer('fc_bias', [outF], new Float32Array(outF));
        let xin = this.plain(x);
        if (x.shape.length !== 2) {
          const s = this.g.constant('fc_in_shape', 'int64', [2], [-1, inF]);
          xin = this.node('Reshape', [xin, s]);
        }
        const y = this.node('Gemm', [xin, w, b], { transB: 1 });
        this.define(op, this.activation(y, o.activation, op), 'plain');
        return;
      }
      case BuiltinOperator.LOGISTIC:
        this.define(op, this.node('Sigmoid', [x.name]), x.layout);
        return;
      case BuiltinOperator.RELU:
        this.define(op, this.node('Relu', [x.name]), x.layout);
        return;
      case BuiltinOperator.RELU6:
        this.define(op, this.clip(x.name, 0, 6), x.layout);
        return;
      case BuiltinOperator.SOFTMAX: {
        const beta = o?.kind === 'SoftmaxOptions' ? o.beta : 1;
        let xin = this.plain(x);
        if (beta !== 1) xin = this.node('Mul', [xin, this.g.constant('softmax_beta', 'float32', [], [beta])]);
        this.define(op, this.node('Softmax', [xin], { axis: -1 }), 'plain');
        return;
      }
      case BuiltinOperator.RESHAPE:
      case BuiltinOperator.SQUEEZE: {
        // Keep the (dynamic) batch: ONNX Reshape copies a 0 entry from the input's dimension.
        const out = this.tensor(op.outputs[0] ?? -1);
        if (out.shape[0] !== x.shape[0])
          throw new TfliteConvertError(
            `${where}: reshapes across the batch dimension ([${x.shape.join(',')}] → [${out.shape.join(',')}])`,
          );
        const s = this.g.constant('reshape_shape', 'int64', [out.shape.length], [0, ...out.shape.slice(1)]);
        this.define(op, this.node('Reshape', [this.plain(x), s]), 'plain');
        return;
      }
      case BuiltinOperator.ADD:
      case BuiltinOperator.MUL:
      case BuiltinOperator.SUB: {
        const onnxOp =
          op.builtinCode === BuiltinOperator.ADD ? 'Add' : op.builtinCode === BuiltinOperator.MUL ? 'Mul' : 'Sub';
        const bId = op.inputs[1] ?? -1;
        const bLive = this.values.get(bId);
        let y: string;
        let layout: Layout = x.layout;
        if (bLive !== undefined) {
          y =
            bLive.layout === x.layout
              ? this.node(onnxOp, [x.name, bLive.name])
              : this.node(onnxOp, [this.plain(x), this.plain(bLive)]);
          if (bLive.layout !== x.layout) layout = 'plain';
        } else {
          const bt = this.tensor(bId);
          const data = this.constant(bId, `${where} operand`);
          const n = product(bt.shape);
          if (x.layout === 'nchw' && n !== 1) {
            // A per-channel NHWC constant ([C] or [1,1,1,C]) broadcasts as [C, 1, 1] in NCHW.
            const c = x.shape[3] ?? 0;
            if (n !== c)
              throw new TfliteConvertError(
                `${where}: cannot broadcast constant [${bt.shape.join(',')}] against NHWC [${x.shape.join(',')}]`,
              );
            y = this.node(onnxOp, [x.name, this.initializer('chan_const', [c, 1, 1], data)]);
          } else {
            y = this.node(onnxOp, [x.name, this.initializer('const', n === 1 ? [] : bt.shape, data)]);
          }
        }
        const act = o !== null && 'activation' in o ? o.activation : 'NONE';
        this.define(op, this.activation(y, act, op), layout);
        return;
      }
      default:
        throw new TfliteConvertError(
          `${where}: operator ${builtinOperatorName(op.builtinCode)} in the conv stack is not supported`,
        );
    }
  }

  private conv(op: Operator, x: Value): void {
    const where = `operator ${op.index} (${op.opName})`;
    const o = op.options;
    const depthwise = op.builtinCode === BuiltinOperator.DEPTHWISE_CONV_2D;
    if (o === null || (o.kind !== 'Conv2DOptions' && o.kind !== 'DepthwiseConv2DOptions'))
      throw new TfliteConvertError(`${where}: missing conv options`);
    const wt = this.tensor(op.inputs[1] ?? -1);
    const w = this.constant(wt.index, `${where} weights`);
    const [, inH = 0, inW = 0, inC = 0] = x.shape;
    let oihw: Float32Array;
    let outC: number;
    let kh: number;
    let kw: number;
    let group = 1;
    if (!depthwise) {
      // OHWI → OIHW.
      const [O = 0, H = 0, W = 0, I = 0] = wt.shape;
      if (I !== inC) throw new TfliteConvertError(`${where}: weights expect ${I} input channels, input has ${inC}`);
      oihw = new Float32Array(O * I * H * W);
      for (let a = 0; a < O; a++)
        for (let h = 0; h < H; h++)
          for (let ww = 0; ww < W; ww++)
            for (let i = 0; i < I; i++) oihw[((a * I + i) * H + h) * W + ww] = w[((a * H + h) * W + ww) * I + i] ?? 0;
      [outC, kh, kw] = [O, H, W];
    } else {
      // 1HW(C·M) → (C·M)1HW with group = C: output channel c·M + m reads input channel c in both.
      const [one = 0, H = 0, W = 0, CM = 0] = wt.shape;
      if (one !== 1 || inC === 0 || CM % inC !== 0)
        throw new TfliteConvertError(
          `${where}: depthwise weights [${wt.shape.join(',')}] do not fit ${inC} input channels`,
        );
      oihw = new Float32Array(CM * H * W);
      for (let h = 0; h < H; h++)
        for (let ww = 0; ww < W; ww++)
          for (let c = 0; c < CM; c++) oihw[(c * H + h) * W + ww] = w[(h * W + ww) * CM + c] ?? 0;
      [outC, kh, kw, group] = [CM, H, W, inC];
    }
    const [pt, pb] = padsFor(o.padding, inH, kh, o.strideH, o.dilationH);
    const [pl, pr] = padsFor(o.padding, inW, kw, o.strideW, o.dilationW);
    const wName = this.initializer(depthwise ? 'dw_weight' : 'conv_weight', [outC, depthwise ? 1 : inC, kh, kw], oihw);
    const inputs = [this.nchw(x, op), wName];
    const biasId = op.inputs[2] ?? -1;
    if (biasId >= 0) {
      const b = this.constant(biasId, `${where} bias`);
      if (b.length !== outC) throw new TfliteConvertError(`${where}: bias has ${b.length} values for ${outC} channels`);
      inputs.push(this.initializer(depthwise ? 'dw_bias' : 'conv_bias', [outC], b));
    }
    const y = this.node('Conv', inputs, {
      kernel_shape: [kh, kw],
      strides: [o.strideH, o.strideW],
      dilations: [o.dilationH, o.dilationW],
      pads: [pt, pl, pb, pr],
      group,
    });
    this.define(op, this.activation(y, o.activation, op), 'nchw');
  }
}

// Re-exported so callers can tell parse errors from translation errors without importing schema.ts.
export { FlatBufferError } from './flatbuffer.ts';
