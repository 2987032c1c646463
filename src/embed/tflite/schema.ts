// Reads the parts of the TFLite schema (tensorflow/lite/schema/schema.fbs) a converter needs into plain objects; pure: no DOM, no Node, reads only, interprets nothing.
//
// Slot numbers are the fields' declaration order in schema.fbs (a union field takes two slots:
// `<name>_type` then the value). Only fields we use are read; unknown newer fields are ignored,
// which is how FlatBuffers stays backward compatible.
import { FlatBuffer, FlatBufferError } from './flatbuffer.ts';
import type { FbTable } from './flatbuffer.ts';

/** TensorType enum (schema.fbs). */
export const TensorType = {
  FLOAT32: 0,
  FLOAT16: 1,
  INT32: 2,
  UINT8: 3,
  INT64: 4,
  STRING: 5,
  BOOL: 6,
  INT16: 7,
  COMPLEX64: 8,
  INT8: 9,
  FLOAT64: 10,
} as const;

const TENSOR_TYPE_NAMES: Readonly<Record<number, string>> = Object.fromEntries(
  Object.entries(TensorType).map(([k, v]) => [v, k]),
);

export function tensorTypeName(t: number): string {
  return TENSOR_TYPE_NAMES[t] ?? `TYPE_${t}`;
}

/** BuiltinOperator enum values we name (schema.fbs); others print as OP_<n>. */
export const BuiltinOperator = {
  ADD: 0,
  AVERAGE_POOL_2D: 1,
  CONCATENATION: 2,
  CONV_2D: 3,
  DEPTHWISE_CONV_2D: 4,
  DEQUANTIZE: 6,
  FULLY_CONNECTED: 9,
  LOGISTIC: 14,
  MAX_POOL_2D: 17,
  MUL: 18,
  RELU: 19,
  RELU6: 21,
  RESHAPE: 22,
  SOFTMAX: 25,
  CUSTOM: 32,
  PAD: 34,
  GATHER: 36,
  TRANSPOSE: 39,
  MEAN: 40,
  SUB: 41,
  DIV: 42,
  SQUEEZE: 43,
  STRIDED_SLICE: 45,
  EXP: 47,
  SPLIT: 49,
  CAST: 53,
  MAXIMUM: 55,
  MINIMUM: 57,
  PADV2: 60,
  SLICE: 65,
  SIN: 66,
  EXPAND_DIMS: 70,
  LOG: 73,
  SUM: 74,
  SQRT: 75,
  RSQRT: 76,
  SHAPE: 77,
  POW: 78,
  PACK: 83,
  UNPACK: 88,
  SQUARE: 92,
  FILL: 94,
  ABS: 101,
  SPLIT_V: 102,
  COS: 108,
  QUANTIZE: 114,
  BATCH_MATMUL: 126,
  PLACEHOLDER_FOR_GREATER_OP_CODES: 127,
  RFFT2D: 131,
  COMPLEX_ABS: 135,
} as const;

const OP_NAMES: Readonly<Record<number, string>> = Object.fromEntries(
  Object.entries(BuiltinOperator).map(([k, v]) => [v, k]),
);

export function builtinOperatorName(code: number): string {
  return OP_NAMES[code] ?? `OP_${code}`;
}

/** BuiltinOptions union type values (1-based declaration order in schema.fbs). */
export const BuiltinOptionsType = {
  NONE: 0,
  Conv2DOptions: 1,
  DepthwiseConv2DOptions: 2,
  Pool2DOptions: 5,
  FullyConnectedOptions: 8,
  SoftmaxOptions: 9,
  ConcatenationOptions: 10,
  AddOptions: 11,
  ReshapeOptions: 17,
  MulOptions: 21,
  PadOptions: 22,
  ReducerOptions: 27,
  SubOptions: 28,
  DivOptions: 29,
  SqueezeOptions: 30,
  StridedSliceOptions: 32,
} as const;

export type Padding = 'SAME' | 'VALID';
/** ActivationFunctionType (schema.fbs). */
export type Activation = 'NONE' | 'RELU' | 'RELU_N1_TO_1' | 'RELU6' | 'TANH' | 'SIGN_BIT';
const ACTIVATIONS: readonly Activation[] = ['NONE', 'RELU', 'RELU_N1_TO_1', 'RELU6', 'TANH', 'SIGN_BIT'];

function activation(v: number, where: string): Activation {
  const a = ACTIVATIONS[v];
  if (a === undefined) throw new FlatBufferError(`${where}: unknown fused activation ${v}`);
  return a;
}

function padding(v: number): Padding {
  return v === 1 ? 'VALID' : 'SAME';
}

export interface Conv2DOptions {
  readonly kind: 'Conv2DOptions';
  readonly padding: Padding;
  readonly strideW: number;
  readonly strideH: number;
  readonly activation: Activation;
  readonly dilationW: number;
  readonly dilationH: number;
}

export interface DepthwiseConv2DOptions {
  readonly kind: 'DepthwiseConv2DOptions';
  readonly padding: Padding;
  readonly strideW: number;
  readonly strideH: number;
  readonly depthMultiplier: number;
  readonly activation: Activation;
  readonly dilationW: number;
  readonly dilationH: number;
}

export interface Pool2DOptions {
  readonly kind: 'Pool2DOptions';
  readonly padding: Padding;
  readonly strideW: number;
  readonly strideH: number;
  readonly filterW: number;
  readonly filterH: number;
  readonly activation: Activation;
}

export interface FullyConnectedOptions {
  readonly kind: 'FullyConnectedOptions';
  readonly activation: Activation;
  /** 0 DEFAULT, 1 SHUFFLED4x16INT8 (which we cannot read back as a plain matrix). */
  readonly weightsFormat: number;
  readonly keepNumDims: boolean;
}

export interface ReshapeOptions {
  readonly kind: 'ReshapeOptions';
  readonly newShape: readonly number[];
}

export interface ReducerOptions {
  readonly kind: 'ReducerOptions';
  readonly keepDims: boolean;
}

export interface SqueezeOptions {
  readonly kind: 'SqueezeOptions';
  readonly squeezeDims: readonly number[];
}

/** Options of ops whose only option is a fused activation (Add, Sub, Mul, Div, Concatenation). */
export interface ActivationOptions {
  readonly kind: 'AddOptions' | 'SubOptions' | 'MulOptions' | 'DivOptions';
  readonly activation: Activation;
}

export interface ConcatenationOptions {
  readonly kind: 'ConcatenationOptions';
  readonly axis: number;
  readonly activation: Activation;
}

export interface SoftmaxOptions {
  readonly kind: 'SoftmaxOptions';
  readonly beta: number;
}

/** Any other option table: kept by type number so a converter can say what it did not understand. */
export interface OtherOptions {
  readonly kind: 'other';
  readonly type: number;
}

export type BuiltinOptions =
  | Conv2DOptions
  | DepthwiseConv2DOptions
  | Pool2DOptions
  | FullyConnectedOptions
  | ReshapeOptions
  | ReducerOptions
  | SqueezeOptions
  | ActivationOptions
  | ConcatenationOptions
  | SoftmaxOptions
  | OtherOptions;

export interface Quantization {
  readonly scale: readonly number[];
  readonly zeroPoint: readonly number[];
  readonly quantizedDimension: number;
}

export interface Tensor {
  readonly index: number;
  readonly name: string;
  readonly shape: readonly number[];
  /** shape with -1 where a dimension is dynamic (often the batch); equals shape when absent. */
  readonly shapeSignature: readonly number[];
  readonly type: number;
  readonly buffer: number;
  readonly quantization: Quantization | null;
}

export interface Operator {
  readonly index: number;
  readonly opcodeIndex: number;
  /** Resolved builtin code (max of deprecated_builtin_code and builtin_code, as TFLite does). */
  readonly builtinCode: number;
  readonly opName: string;
  readonly customCode: string | null;
  /** Tensor indices; -1 marks an omitted optional input. */
  readonly inputs: readonly number[];
  readonly outputs: readonly number[];
  readonly options: BuiltinOptions | null;
}

export interface SubGraph {
  readonly name: string;
  readonly tensors: readonly Tensor[];
  readonly inputs: readonly number[];
  readonly outputs: readonly number[];
  readonly operators: readonly Operator[];
}

export interface OperatorCode {
  readonly builtinCode: number;
  readonly customCode: string | null;
  readonly version: number;
}

export interface TfliteModel {
  readonly version: number;
  readonly description: string;
  readonly operatorCodes: readonly OperatorCode[];
  readonly subgraphs: readonly SubGraph[];
  /** Buffer contents as views into the file (no copy); empty for the sentinel and for activations. */
  readonly buffers: readonly Uint8Array[];
}

// ---------------------------------------------------------------------------------------------

function readOperatorCode(t: FbTable): OperatorCode {
  // OperatorCode: deprecated_builtin_code:byte (0), custom_code (1), version:int = 1 (2), builtin_code:int (3).
  // Older writers fill only the byte field; newer ones fill both; codes ≥ 127 live only in the int.
  const deprecated = t.i8(0);
  const extended = t.i32(3);
  return { builtinCode: Math.max(deprecated, extended), customCode: t.string(1), version: t.i32(2, 1) };
}

function readQuantization(t: FbTable | null): Quantization | null {
  if (t === null) return null;
  // QuantizationParameters: min (0), max (1), scale (2), zero_point:[long] (3), details union (4,5), quantized_dimension (6).
  const scale = t.scalars(2, 'f32');
  const zeroPoint = t.int64s(3).map((z) => Number(z));
  if (scale.length === 0) return null;
  return { scale, zeroPoint, quantizedDimension: t.i32(6) };
}

function readTensor(t: FbTable, index: number): Tensor {
  // Tensor: shape (0), type (1), buffer (2), name (3), quantization (4), is_variable (5), sparsity (6), shape_signature (7).
  if (t.has(6)) throw new FlatBufferError(`tensor ${index}: sparse tensors are not supported`);
  const shape = t.scalars(0, 'i32');
  const signature = t.scalars(7, 'i32');
  return {
    index,
    name: t.string(3) ?? `tensor_${index}`,
    shape,
    shapeSignature: signature.length === shape.length ? signature : shape,
    type: t.i8(1),
    buffer: t.u32(2),
    quantization: readQuantization(t.table(4, `tensor ${index} quantization`)),
  };
}

function readOptions(type: number, t: FbTable | null, where: string): BuiltinOptions | null {
  if (type === BuiltinOptionsType.NONE || t === null) return null;
  switch (type) {
    case BuiltinOptionsType.Conv2DOptions:
      return {
        kind: 'Conv2DOptions',
        padding: padding(t.i8(0)),
        strideW: t.i32(1),
        strideH: t.i32(2),
        activation: activation(t.i8(3), where),
        dilationW: t.i32(4, 1),
        dilationH: t.i32(5, 1),
      };
    case BuiltinOptionsType.DepthwiseConv2DOptions:
      return {
        kind: 'DepthwiseConv2DOptions',
        padding: padding(t.i8(0)),
        strideW: t.i32(1),
        strideH: t.i32(2),
        depthMultiplier: t.i32(3),
        activation: activation(t.i8(4), where),
        dilationW: t.i32(5, 1),
        dilationH: t.i32(6, 1),
      };
    case BuiltinOptionsType.Pool2DOptions:
      return {
        kind: 'Pool2DOptions',
        padding: padding(t.i8(0)),
        strideW: t.i32(1),
        strideH: t.i32(2),
        filterW: t.i32(3),
        filterH: t.i32(4),
        activation: activation(t.i8(5), where),
      };
    case BuiltinOptionsType.FullyConnectedOptions:
      return {
        kind: 'FullyConnectedOptions',
        activation: activation(t.i8(0), where),
        weightsFormat: t.i8(1),
        keepNumDims: t.bool(2),
      };
    case BuiltinOptionsType.ReshapeOptions:
      return { kind: 'ReshapeOptions', newShape: t.scalars(0, 'i32') };
    case BuiltinOptionsType.ReducerOptions:
      return { kind: 'ReducerOptions', keepDims: t.bool(0) };
    case BuiltinOptionsType.SqueezeOptions:
      return { kind: 'SqueezeOptions', squeezeDims: t.scalars(0, 'i32') };
    case BuiltinOptionsType.AddOptions:
      return { kind: 'AddOptions', activation: activation(t.i8(0), where) };
    case BuiltinOptionsType.SubOptions:
      return { kind: 'SubOptions', activation: activation(t.i8(0), where) };
    case BuiltinOptionsType.MulOptions:
      return { kind: 'MulOptions', activation: activation(t.i8(0), where) };
    case BuiltinOptionsType.DivOptions:
      return { kind: 'DivOptions', activation: activation(t.i8(0), where) };
    case BuiltinOptionsType.ConcatenationOptions:
      return { kind: 'ConcatenationOptions', axis: t.i32(0), activation: activation(t.i8(1), where) };
    case BuiltinOptionsType.SoftmaxOptions:
      return { kind: 'SoftmaxOptions', beta: t.f32(0) };
    default:
      return { kind: 'other', type };
  }
}

function readOperator(t: FbTable, index: number, codes: readonly OperatorCode[]): Operator {
  // Operator: opcode_index (0), inputs (1), outputs (2), builtin_options union (3 type, 4 value), custom_options (5).
  const opcodeIndex = t.u32(0);
  const code = codes[opcodeIndex];
  if (code === undefined)
    throw new FlatBufferError(`operator ${index}: opcode_index ${opcodeIndex} beyond ${codes.length} operator codes`);
  const where = `operator ${index} (${builtinOperatorName(code.builtinCode)})`;
  const u = t.union(3, `${where} options`);
  return {
    index,
    opcodeIndex,
    builtinCode: code.builtinCode,
    opName:
      code.builtinCode === BuiltinOperator.CUSTOM
        ? `CUSTOM:${code.customCode ?? '?'}`
        : builtinOperatorName(code.builtinCode),
    customCode: code.customCode,
    inputs: t.scalars(1, 'i32'),
    outputs: t.scalars(2, 'i32'),
    options: readOptions(u.type, u.table, where),
  };
}

function readSubGraph(t: FbTable, index: number, codes: readonly OperatorCode[]): SubGraph {
  // SubGraph: tensors (0), inputs (1), outputs (2), operators (3), name (4).
  const tensors = t.tables(0, `subgraph ${index} tensors`).map(readTensor);
  const operators = t.tables(3, `subgraph ${index} operators`).map((o, i) => readOperator(o, i, codes));
  const checkRefs = (list: readonly number[], what: string): void => {
    for (const r of list) {
      if (r !== -1 && (r < 0 || r >= tensors.length)) {
        throw new FlatBufferError(`subgraph ${index} ${what}: tensor index ${r} beyond ${tensors.length} tensors`);
      }
    }
  };
  const inputs = t.scalars(1, 'i32');
  const outputs = t.scalars(2, 'i32');
  checkRefs(inputs, 'inputs');
  checkRefs(outputs, 'outputs');
  for (const op of operators) {
    checkRefs(op.inputs, `operator ${op.index} inputs`);
    checkRefs(op.outputs, `operator ${op.index} outputs`);
  }
  return { name: t.string(4) ?? '', tensors, inputs, outputs, operators };
}

function readBuffer(t: FbTable, index: number, fb: FlatBuffer): Uint8Array {
  // Buffer: data:[ubyte] (0), offset:ulong (1), size:ulong (2). offset/size (> 1) point outside
  // the FlatBuffer, relative to the file start; writers use them for files above 2 GB.
  const data = t.bytes(0);
  if (data !== null && data.length > 0) return data;
  const offset = t.u64(1);
  const size = t.u64(2);
  if (offset > 1n) {
    const start = Number(offset);
    const n = Number(size);
    fb.check(start, n, `buffer ${index} (external data)`);
    return fb.bytes.subarray(start, start + n);
  }
  return new Uint8Array(0);
}

/** Parses a .tflite file. Throws FlatBufferError (with what was being read) on malformed input. */
export function readTfliteModel(bytes: Uint8Array): TfliteModel {
  const fb = new FlatBuffer(bytes);
  if (fb.length < 8) throw new FlatBufferError(`not a TFLite file: ${fb.length} bytes`);
  const id = fb.identifier();
  if (id !== 'TFL3')
    throw new FlatBufferError(`not a TFLite file: identifier '${id.replace(/[^\x20-\x7e]/g, '?')}' (expected 'TFL3')`);
  const root = fb.root('model');
  // Model: version (0), operator_codes (1), subgraphs (2), description (3), buffers (4).
  const operatorCodes = root.tables(1, 'operator_codes').map(readOperatorCode);
  const subgraphs = root.tables(2, 'subgraphs').map((s, i) => readSubGraph(s, i, operatorCodes));
  const buffers = root.tables(4, 'buffers').map((b, i) => readBuffer(b, i, fb));
  for (const sg of subgraphs) {
    for (const t of sg.tensors) {
      if (t.buffer >= buffers.length)
        throw new FlatBufferError(`tensor '${t.name}': buffer ${t.buffer} beyond ${buffers.length} buffers`);
    }
  }
  return { version: root.u32(0), description: root.string(3) ?? '', operatorCodes, subgraphs, buffers };
}
