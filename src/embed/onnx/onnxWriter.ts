// Dependency-free ONNX ModelProto encoder and graph builder; pure (no DOM, no Node APIs) so the worker, the CLI and tests share it.
//
// Why hand-rolled: the app must generate its built-in model (and later convert a TFLite YAMNet)
// without shipping protobufjs or the onnx Python package. Field numbers below are copied from
// onnx/onnx.proto (proto2); every repeated scalar that onnx.proto does not mark [packed = true]
// is written unpacked, which is what the reference serializer writes too.

/** Element types we can write, keyed by the name onnxruntime-web/node use for them. */
export type OnnxElemType = 'float32' | 'float64' | 'int8' | 'uint8' | 'int32' | 'int64' | 'bool';

/** TensorProto.DataType enum values (onnx.proto). */
export const ONNX_DATA_TYPE: Readonly<Record<OnnxElemType, number>> = {
  float32: 1,
  uint8: 2,
  int8: 3,
  int32: 6,
  int64: 7,
  bool: 9,
  float64: 11,
};

/** Bytes per element in raw_data (fixed width, little-endian, per onnx.proto). */
const BYTES_PER_ELEM: Readonly<Record<OnnxElemType, number>> = {
  float32: 4,
  float64: 8,
  int8: 1,
  uint8: 1,
  int32: 4,
  int64: 8,
  bool: 1,
};

/** A dimension: a fixed size, or a symbolic name such as 'N' for the batch. */
export type Dim = number | string;

/** Tensor contents; int64 also accepts bigint so values beyond 2^53 survive. */
export type TensorData = ArrayLike<number> | ArrayLike<bigint>;

export interface TensorSpec {
  readonly name: string;
  readonly elemType: OnnxElemType;
  readonly dims: readonly number[];
  readonly data: TensorData;
}

// ---------------------------------------------------------------------------------------------
// Attributes. Plain values are accepted where unambiguous (integer → INT, integer[] → INTS,
// string → STRING); floats must be wrapped because JS cannot tell 1.0 from 1.

/** AttributeProto.AttributeType enum values (onnx.proto). */
const ATTR_TYPE = {
  FLOAT: 1,
  INT: 2,
  STRING: 3,
  TENSOR: 4,
  GRAPH: 5,
  FLOATS: 6,
  INTS: 7,
  STRINGS: 8,
  TENSORS: 9,
  GRAPHS: 10,
} as const;

export type AttributeValue =
  | { readonly kind: 'float'; readonly value: number }
  | { readonly kind: 'int'; readonly value: number | bigint }
  | { readonly kind: 'string'; readonly value: string | Uint8Array }
  | { readonly kind: 'tensor'; readonly value: TensorSpec }
  | { readonly kind: 'graph'; readonly value: GraphBuilder }
  | { readonly kind: 'floats'; readonly value: readonly number[] }
  | { readonly kind: 'ints'; readonly value: readonly (number | bigint)[] }
  | { readonly kind: 'strings'; readonly value: readonly (string | Uint8Array)[] }
  | { readonly kind: 'tensors'; readonly value: readonly TensorSpec[] }
  | { readonly kind: 'graphs'; readonly value: readonly GraphBuilder[] };

/** What `node()` accepts per attribute: a tagged value, or an unambiguous plain value. */
export type AttributeInput = AttributeValue | number | bigint | string | readonly number[];

/** Helpers to tag attribute values whose kind a plain JS value cannot express. */
export const attr = {
  float: (value: number): AttributeValue => ({ kind: 'float', value }),
  int: (value: number | bigint): AttributeValue => ({ kind: 'int', value }),
  string: (value: string | Uint8Array): AttributeValue => ({ kind: 'string', value }),
  tensor: (value: TensorSpec): AttributeValue => ({ kind: 'tensor', value }),
  graph: (value: GraphBuilder): AttributeValue => ({ kind: 'graph', value }),
  floats: (value: readonly number[]): AttributeValue => ({ kind: 'floats', value }),
  ints: (value: readonly (number | bigint)[]): AttributeValue => ({ kind: 'ints', value }),
  strings: (value: readonly (string | Uint8Array)[]): AttributeValue => ({ kind: 'strings', value }),
  tensors: (value: readonly TensorSpec[]): AttributeValue => ({ kind: 'tensors', value }),
  graphs: (value: readonly GraphBuilder[]): AttributeValue => ({ kind: 'graphs', value }),
};

function toAttributeValue(name: string, input: AttributeInput): AttributeValue {
  if (typeof input === 'bigint') return { kind: 'int', value: input };
  if (typeof input === 'string') return { kind: 'string', value: input };
  if (typeof input === 'number') {
    // A silent int/float guess would corrupt e.g. alpha=1 on LeakyRelu; make the caller say.
    if (!Number.isInteger(input)) {
      throw new Error(`attribute '${name}': non-integer ${input}; wrap floats with attr.float()`);
    }
    return { kind: 'int', value: input };
  }
  if (Array.isArray(input)) {
    const values = input as readonly number[];
    for (const v of values) {
      if (!Number.isInteger(v)) {
        throw new Error(`attribute '${name}': non-integer ${v}; wrap float lists with attr.floats()`);
      }
    }
    return { kind: 'ints', value: values };
  }
  return input as AttributeValue;
}

// ---------------------------------------------------------------------------------------------
// Protobuf wire encoding. Chunks are collected and concatenated once, so large raw_data
// (e.g. 15 MB of YAMNet weights) is copied exactly once into the final buffer.

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LEN = 2;
const WIRE_FIXED32 = 5;

const UTF8 = new TextEncoder();

/** Protobuf wire writer; exported only so graph-valued attributes can nest a GraphProto. */
export class ProtoWriter {
  private readonly chunks: Uint8Array[] = [];
  private scratch: number[] = [];
  byteLength = 0;

  private flushScratch(): void {
    if (this.scratch.length === 0) return;
    this.chunks.push(Uint8Array.from(this.scratch));
    this.scratch = [];
  }

  private pushBytes(bytes: Uint8Array): void {
    // Small pieces go through the scratch list to avoid thousands of tiny arrays.
    if (bytes.length < 64) {
      for (const b of bytes) this.scratch.push(b);
    } else {
      this.flushScratch();
      this.chunks.push(bytes);
    }
    this.byteLength += bytes.length;
  }

  private rawVarint(value: number | bigint): void {
    // int64 fields: negative values are two's-complement 64-bit, i.e. always 10 bytes.
    let v = BigInt.asUintN(64, BigInt(value));
    do {
      let byte = Number(v & 0x7fn);
      v >>= 7n;
      if (v !== 0n) byte |= 0x80;
      this.scratch.push(byte);
      this.byteLength += 1;
    } while (v !== 0n);
  }

  private tag(field: number, wire: number): void {
    this.rawVarint((field << 3) | wire);
  }

  varint(field: number, value: number | bigint): void {
    this.tag(field, WIRE_VARINT);
    this.rawVarint(value);
  }

  float32(field: number, value: number): void {
    this.tag(field, WIRE_FIXED32);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, value, true);
    this.pushBytes(b);
  }

  float64(field: number, value: number): void {
    this.tag(field, WIRE_FIXED64);
    const b = new Uint8Array(8);
    new DataView(b.buffer).setFloat64(0, value, true);
    this.pushBytes(b);
  }

  bytes(field: number, value: Uint8Array): void {
    this.tag(field, WIRE_LEN);
    this.rawVarint(value.length);
    this.pushBytes(value);
  }

  string(field: number, value: string): void {
    this.bytes(field, UTF8.encode(value));
  }

  message(field: number, child: ProtoWriter): void {
    this.tag(field, WIRE_LEN);
    this.rawVarint(child.byteLength);
    this.flushScratch();
    child.flushScratch();
    for (const c of child.chunks) this.chunks.push(c);
    this.byteLength += child.byteLength;
  }

  finish(): Uint8Array {
    this.flushScratch();
    const out = new Uint8Array(this.byteLength);
    let offset = 0;
    for (const c of this.chunks) {
      out.set(c, offset);
      offset += c.length;
    }
    return out;
  }
}

// ---------------------------------------------------------------------------------------------
// Message encoders (field numbers: onnx.proto).

function elementCount(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

/** Fixed-width little-endian bytes for TensorProto.raw_data. */
export function tensorRawData(elemType: OnnxElemType, data: TensorData): Uint8Array {
  const n = data.length;
  const out = new Uint8Array(n * BYTES_PER_ELEM[elemType]);
  const view = new DataView(out.buffer);
  for (let i = 0; i < n; i++) {
    const v = data[i] as number | bigint;
    switch (elemType) {
      case 'float32':
        view.setFloat32(i * 4, Number(v), true);
        break;
      case 'float64':
        view.setFloat64(i * 8, Number(v), true);
        break;
      case 'int8':
        view.setInt8(i, Number(v));
        break;
      case 'uint8':
        view.setUint8(i, Number(v));
        break;
      case 'bool':
        view.setUint8(i, Number(v) !== 0 ? 1 : 0);
        break;
      case 'int32':
        view.setInt32(i * 4, Number(v), true);
        break;
      case 'int64':
        view.setBigInt64(i * 8, BigInt(v), true);
        break;
    }
  }
  return out;
}

function encodeTensor(t: TensorSpec): ProtoWriter {
  const expected = elementCount(t.dims);
  if (t.data.length !== expected) {
    throw new Error(`tensor '${t.name}': ${t.data.length} values for dims [${t.dims.join(',')}] (${expected})`);
  }
  const w = new ProtoWriter();
  for (const d of t.dims) w.varint(1, d); // dims = 1 (repeated int64, unpacked)
  w.varint(2, ONNX_DATA_TYPE[t.elemType]); // data_type = 2
  if (t.name !== '') w.string(8, t.name); // name = 8
  w.bytes(9, tensorRawData(t.elemType, t.data)); // raw_data = 9
  return w;
}

function encodeValueInfo(name: string, elemType: OnnxElemType, shape: readonly Dim[] | undefined): ProtoWriter {
  const tensorType = new ProtoWriter();
  tensorType.varint(1, ONNX_DATA_TYPE[elemType]); // TypeProto.Tensor.elem_type = 1
  if (shape !== undefined) {
    const shapeProto = new ProtoWriter();
    for (const d of shape) {
      const dim = new ProtoWriter();
      if (typeof d === 'number')
        dim.varint(1, d); // Dimension.dim_value = 1
      else dim.string(2, d); // Dimension.dim_param = 2
      shapeProto.message(1, dim); // TensorShapeProto.dim = 1
    }
    tensorType.message(2, shapeProto); // TypeProto.Tensor.shape = 2
  }
  const type = new ProtoWriter();
  type.message(1, tensorType); // TypeProto.tensor_type = 1
  const w = new ProtoWriter();
  w.string(1, name); // ValueInfoProto.name = 1
  w.message(2, type); // ValueInfoProto.type = 2
  return w;
}

function encodeStringOrBytes(w: ProtoWriter, field: number, v: string | Uint8Array): void {
  if (typeof v === 'string') w.string(field, v);
  else w.bytes(field, v);
}

function encodeAttribute(name: string, a: AttributeValue): ProtoWriter {
  const w = new ProtoWriter();
  w.string(1, name); // name = 1
  switch (a.kind) {
    case 'float':
      w.float32(2, a.value); // f = 2
      w.varint(20, ATTR_TYPE.FLOAT); // type = 20
      break;
    case 'int':
      w.varint(3, a.value); // i = 3
      w.varint(20, ATTR_TYPE.INT);
      break;
    case 'string':
      encodeStringOrBytes(w, 4, a.value); // s = 4
      w.varint(20, ATTR_TYPE.STRING);
      break;
    case 'tensor':
      w.message(5, encodeTensor(a.value)); // t = 5
      w.varint(20, ATTR_TYPE.TENSOR);
      break;
    case 'graph':
      w.message(6, a.value.encodeGraph()); // g = 6
      w.varint(20, ATTR_TYPE.GRAPH);
      break;
    case 'floats':
      for (const v of a.value) w.float32(7, v); // floats = 7
      w.varint(20, ATTR_TYPE.FLOATS);
      break;
    case 'ints':
      for (const v of a.value) w.varint(8, v); // ints = 8
      w.varint(20, ATTR_TYPE.INTS);
      break;
    case 'strings':
      for (const v of a.value) encodeStringOrBytes(w, 9, v); // strings = 9
      w.varint(20, ATTR_TYPE.STRINGS);
      break;
    case 'tensors':
      for (const t of a.value) w.message(10, encodeTensor(t)); // tensors = 10
      w.varint(20, ATTR_TYPE.TENSORS);
      break;
    case 'graphs':
      for (const g of a.value) w.message(11, g.encodeGraph()); // graphs = 11
      w.varint(20, ATTR_TYPE.GRAPHS);
      break;
  }
  return w;
}

// ---------------------------------------------------------------------------------------------
// Graph builder.

interface NodeRecord {
  readonly opType: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attributes: readonly (readonly [string, AttributeValue])[];
  readonly name: string;
  readonly domain: string;
}

interface ValueInfoRecord {
  readonly name: string;
  readonly elemType: OnnxElemType;
  readonly shape: readonly Dim[] | undefined;
}

export interface NodeOptions {
  /** Output names; default: one fresh name. A number asks for that many fresh names. */
  readonly outputs?: readonly string[] | number;
  /** Node name; default: derived from op type and a counter. */
  readonly name?: string;
  /** Operator-set domain; default '' (ai.onnx). */
  readonly domain?: string;
}

/**
 * Collects nodes, initializers and graph inputs/outputs in insertion order. Callers add nodes in
 * topological order (each node after the producers of its inputs), which ONNX requires.
 */
export class GraphBuilder {
  private readonly nodes: NodeRecord[] = [];
  private readonly initializers: TensorSpec[] = [];
  private readonly inputs: ValueInfoRecord[] = [];
  private readonly outputs: ValueInfoRecord[] = [];
  private readonly valueInfos: ValueInfoRecord[] = [];
  private readonly usedNames = new Set<string>();
  private counter = 0;

  constructor(
    readonly name = 'main',
    readonly docString = '',
  ) {}

  /** A name not yet used in this graph, e.g. fresh('ReduceMean') → 'ReduceMean_3'. */
  fresh(prefix: string): string {
    let candidate: string;
    do {
      candidate = `${prefix}_${this.counter++}`;
    } while (this.usedNames.has(candidate));
    this.usedNames.add(candidate);
    return candidate;
  }

  private claim(name: string): string {
    if (this.usedNames.has(name)) throw new Error(`graph '${this.name}': name '${name}' already used`);
    this.usedNames.add(name);
    return name;
  }

  /** Declares a graph input; returns its name for use as a node input. */
  input(name: string, elemType: OnnxElemType, shape?: readonly Dim[]): string {
    this.inputs.push({ name: this.claim(name), elemType, shape });
    return name;
  }

  /** Declares a graph output. The value must be produced by a node (see NodeOptions.outputs) or be an input/initializer. */
  output(name: string, elemType: OnnxElemType, shape?: readonly Dim[]): string {
    this.outputs.push({ name, elemType, shape });
    return name;
  }

  /** Optional intermediate type/shape annotation. */
  valueInfo(name: string, elemType: OnnxElemType, shape?: readonly Dim[]): void {
    this.valueInfos.push({ name, elemType, shape });
  }

  /** Adds a constant tensor stored in the model; returns its name. */
  initializer(name: string, elemType: OnnxElemType, dims: readonly number[], data: TensorData): string {
    const expected = elementCount(dims);
    if (data.length !== expected) {
      throw new Error(`initializer '${name}': ${data.length} values for dims [${dims.join(',')}] (${expected})`);
    }
    this.initializers.push({ name: this.claim(name), elemType, dims: [...dims], data });
    return name;
  }

  /** Initializer with a generated name (prefix for readability in Netron). */
  constant(prefix: string, elemType: OnnxElemType, dims: readonly number[], data: TensorData): string {
    const name = this.fresh(prefix);
    this.usedNames.delete(name); // initializer() claims it again
    return this.initializer(name, elemType, dims, data);
  }

  /** Adds a node with one output and returns that output's name. */
  node(
    opType: string,
    inputs: readonly string[],
    attributes: Readonly<Record<string, AttributeInput>> = {},
    options: NodeOptions = {},
  ): string {
    const outs = this.nodeOutputs(opType, inputs, attributes, options);
    const first = outs[0];
    if (outs.length !== 1 || first === undefined) {
      throw new Error(`${opType}: node() is for single-output nodes; use nodeOutputs()`);
    }
    return first;
  }

  /** Adds a node and returns all its output names (for Split, TopK, LSTM, ...). Use '' in inputs for an omitted optional input. */
  nodeOutputs(
    opType: string,
    inputs: readonly string[],
    attributes: Readonly<Record<string, AttributeInput>> = {},
    options: NodeOptions = {},
  ): string[] {
    const nodeName = options.name !== undefined ? this.claim(options.name) : this.fresh(opType);
    let outputs: string[];
    if (options.outputs === undefined) outputs = [this.fresh(`${nodeName}_out`)];
    else if (typeof options.outputs === 'number') {
      outputs = Array.from({ length: options.outputs }, (_, i) => this.fresh(`${nodeName}_out${i}`));
    } else outputs = options.outputs.map((o) => this.claim(o));
    const attrs = Object.entries(attributes).map(([k, v]) => [k, toAttributeValue(k, v)] as const);
    this.nodes.push({
      opType,
      inputs: [...inputs],
      outputs,
      attributes: attrs,
      name: nodeName,
      domain: options.domain ?? '',
    });
    return outputs;
  }

  /** GraphProto bytes as a writer (used for the model and for graph-valued attributes). */
  encodeGraph(): ProtoWriter {
    const w = new ProtoWriter();
    for (const n of this.nodes) {
      const nw = new ProtoWriter();
      for (const i of n.inputs) nw.string(1, i); // NodeProto.input = 1
      for (const o of n.outputs) nw.string(2, o); // NodeProto.output = 2
      nw.string(3, n.name); // NodeProto.name = 3
      nw.string(4, n.opType); // NodeProto.op_type = 4
      for (const [k, v] of n.attributes) nw.message(5, encodeAttribute(k, v)); // attribute = 5
      if (n.domain !== '') nw.string(7, n.domain); // domain = 7
      w.message(1, nw); // GraphProto.node = 1
    }
    w.string(2, this.name); // GraphProto.name = 2
    for (const t of this.initializers) w.message(5, encodeTensor(t)); // initializer = 5
    if (this.docString !== '') w.string(10, this.docString); // doc_string = 10
    for (const v of this.inputs) w.message(11, encodeValueInfo(v.name, v.elemType, v.shape)); // input = 11
    for (const v of this.outputs) w.message(12, encodeValueInfo(v.name, v.elemType, v.shape)); // output = 12
    for (const v of this.valueInfos) w.message(13, encodeValueInfo(v.name, v.elemType, v.shape)); // value_info = 13
    return w;
  }
}

export interface ModelOptions {
  /** IR version; 8 is what onnxruntime ≥1.10 and ONNX 1.10+ tooling expect for opset 13-15 models. */
  readonly irVersion?: number;
  /** Operator sets; default ai.onnx ('' domain) version 13. */
  readonly opsets?: readonly { readonly domain: string; readonly version: number }[];
  readonly producerName?: string;
  readonly producerVersion?: string;
  readonly domain?: string;
  readonly modelVersion?: number;
  readonly docString?: string;
  /** ModelProto.metadata_props, readable in onnxruntime as session metadata. */
  readonly metadata?: Readonly<Record<string, string>>;
}

export const DEFAULT_IR_VERSION = 8;
export const DEFAULT_OPSET = 13;

/** Serialises a ModelProto around the graph. */
export function encodeModel(graph: GraphBuilder, options: ModelOptions = {}): Uint8Array {
  const w = new ProtoWriter();
  w.varint(1, options.irVersion ?? DEFAULT_IR_VERSION); // ir_version = 1
  w.string(2, options.producerName ?? 'earshot'); // producer_name = 2
  if (options.producerVersion !== undefined) w.string(3, options.producerVersion); // producer_version = 3
  if (options.domain !== undefined) w.string(4, options.domain); // domain = 4
  if (options.modelVersion !== undefined) w.varint(5, options.modelVersion); // model_version = 5
  if (options.docString !== undefined) w.string(6, options.docString); // doc_string = 6
  w.message(7, graph.encodeGraph()); // graph = 7
  for (const o of options.opsets ?? [{ domain: '', version: DEFAULT_OPSET }]) {
    const ow = new ProtoWriter();
    ow.string(1, o.domain); // OperatorSetIdProto.domain = 1
    ow.varint(2, o.version); // OperatorSetIdProto.version = 2
    w.message(8, ow); // opset_import = 8
  }
  for (const [key, value] of Object.entries(options.metadata ?? {})) {
    const kv = new ProtoWriter();
    kv.string(1, key); // StringStringEntryProto.key = 1
    kv.string(2, value); // StringStringEntryProto.value = 2
    w.message(14, kv); // metadata_props = 14
  }
  return w.finish();
}
