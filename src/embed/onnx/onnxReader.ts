// Small, bounds-checked ONNX ModelProto reader: graph inputs/outputs (names, types, shapes), operator types, opsets and metadata. Pure (no DOM, no Node); it never decodes weights.
//
// Why: a dropped .onnx must be described (input/output names and shapes for the "bring your own model"
// form) and checked against its manifest before onnxruntime sees it, and a file that is not ONNX at
// all must get a clear message rather than a protobuf error from deep inside the runtime.

/** Thrown for bytes that are not a readable ONNX model. */
export class OnnxReadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OnnxReadError';
  }
}

/** A dimension: a fixed size, a symbolic name (e.g. 'N', 'batch'), or null when unknown. */
export type OnnxDim = number | string | null;

export interface OnnxValueInfo {
  name: string;
  /** onnxruntime's element type name ('float32', 'int64', ...), or 'type N' for others. */
  elemType: string;
  /** null when the model declares no shape. */
  shape: OnnxDim[] | null;
}

export interface OnnxModelInfo {
  irVersion: number;
  producer: string;
  opsets: { domain: string; version: number }[];
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
  /** Distinct operator types with their domain ('' = ai.onnx), e.g. 'Conv', 'com.microsoft:FusedConv'. */
  opTypes: string[];
  nodeCount: number;
  metadata: Record<string, string>;
}

const ELEM_NAMES: Record<number, string> = {
  1: 'float32',
  2: 'uint8',
  3: 'int8',
  4: 'uint16',
  5: 'int16',
  6: 'int32',
  7: 'int64',
  8: 'string',
  9: 'bool',
  10: 'float16',
  11: 'float64',
  12: 'uint32',
  13: 'uint64',
  16: 'bfloat16',
};

/** Caps: a hostile file must not make us build huge lists. */
const MAX_VALUES = 4096;
const MAX_NODES = 1_000_000;
const MAX_DIMS = 16;
const MAX_STRING_BYTES = 4096;

const UTF8 = new TextDecoder('utf-8', { fatal: false });

interface Field {
  field: number;
  wire: number;
  /** varint value (wire 0), or 0. */
  value: number;
  /** Start and end of a length-delimited payload (wire 2). */
  start: number;
  end: number;
}

class Reader {
  pos: number;
  constructor(
    readonly bytes: Uint8Array,
    start: number,
    readonly end: number,
  ) {
    this.pos = start;
  }

  private varint(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new OnnxReadError(`truncated varint at byte ${this.pos}`);
      const b = this.bytes[this.pos++] ?? 0;
      // Beyond 2^53 precision is lost; sizes and dims we care about are far smaller.
      result += (b & 0x7f) * scale;
      scale *= 128;
      if ((b & 0x80) === 0) return result;
    }
    throw new OnnxReadError(`varint longer than 10 bytes at byte ${this.pos}`);
  }

  /** The next field, or null at the end. */
  next(): Field | null {
    if (this.pos >= this.end) return null;
    const key = this.varint();
    const field = Math.floor(key / 8);
    const wire = key % 8;
    if (field === 0) throw new OnnxReadError(`field number 0 at byte ${this.pos}`);
    switch (wire) {
      case 0:
        return { field, wire, value: this.varint(), start: 0, end: 0 };
      case 1:
        this.skip(8);
        return { field, wire, value: 0, start: 0, end: 0 };
      case 5:
        this.skip(4);
        return { field, wire, value: 0, start: 0, end: 0 };
      case 2: {
        const len = this.varint();
        const start = this.pos;
        this.skip(len);
        return { field, wire, value: 0, start, end: start + len };
      }
      default:
        throw new OnnxReadError(`unsupported protobuf wire type ${wire} at byte ${this.pos}`);
    }
  }

  private skip(n: number): void {
    if (n < 0 || this.pos + n > this.end)
      throw new OnnxReadError(`field runs past the end of its message (byte ${this.pos}, ${n} bytes)`);
    this.pos += n;
  }

  sub(f: Field): Reader {
    return new Reader(this.bytes, f.start, f.end);
  }

  str(f: Field): string {
    if (f.wire !== 2) throw new OnnxReadError(`expected a string at field ${f.field}`);
    return UTF8.decode(this.bytes.subarray(f.start, Math.min(f.end, f.start + MAX_STRING_BYTES)));
  }
}

function readDim(r: Reader): OnnxDim {
  let dim: OnnxDim = null;
  for (let f = r.next(); f; f = r.next()) {
    if (f.field === 1 && f.wire === 0)
      dim = f.value; // dim_value
    else if (f.field === 2 && f.wire === 2) dim = r.str(f); // dim_param
  }
  return dim;
}

function readValueInfo(r: Reader): OnnxValueInfo {
  let name = '';
  let elemType = 'unknown';
  let shape: OnnxDim[] | null = null;
  for (let f = r.next(); f; f = r.next()) {
    if (f.field === 1 && f.wire === 2) name = r.str(f);
    else if (f.field === 2 && f.wire === 2) {
      // TypeProto.tensor_type = 1 → TypeProto.Tensor { elem_type = 1, shape = 2 }
      const tr = r.sub(f);
      for (let t = tr.next(); t; t = tr.next()) {
        if (t.field !== 1 || t.wire !== 2) continue;
        const tensor = tr.sub(t);
        for (let g = tensor.next(); g; g = tensor.next()) {
          if (g.field === 1 && g.wire === 0) elemType = ELEM_NAMES[g.value] ?? `type ${g.value}`;
          else if (g.field === 2 && g.wire === 2) {
            shape = [];
            const sr = tensor.sub(g);
            for (let d = sr.next(); d; d = sr.next()) {
              if (d.field !== 1 || d.wire !== 2) continue;
              if (shape.length >= MAX_DIMS) throw new OnnxReadError(`a shape with more than ${MAX_DIMS} dimensions`);
              shape.push(readDim(sr.sub(d)));
            }
          }
        }
      }
    }
  }
  return { name, elemType, shape };
}

/** Names that hint at what a file is when it is not ONNX (for the error message). */
export function sniffModelFormat(bytes: Uint8Array): 'tflite' | 'json' | 'wav' | 'zip' | 'html' | 'text' | null {
  const ascii = (from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));
  if (bytes.length >= 8 && ascii(4, 8) === 'TFL3') return 'tflite';
  if (bytes.length >= 4 && ascii(0, 4) === 'RIFF') return 'wav';
  if (bytes.length >= 4 && ascii(0, 4) === 'PK\u0003\u0004') return 'zip';
  let i = 0;
  while (
    i < bytes.length &&
    i < 64 &&
    (bytes[i] === 0x20 ||
      bytes[i] === 0x0a ||
      bytes[i] === 0x0d ||
      bytes[i] === 0x09 ||
      bytes[i] === 0xef ||
      bytes[i] === 0xbb ||
      bytes[i] === 0xbf)
  )
    i++;
  const c = bytes[i];
  if (c === 0x7b || c === 0x5b) return 'json';
  if (c === 0x3c) return 'html';
  const head = bytes.subarray(0, Math.min(bytes.length, 256));
  if (head.length > 0 && head.every((b) => b === 0x09 || b === 0x0a || b === 0x0d || (b >= 0x20 && b < 0x7f)))
    return 'text';
  return null;
}

/**
 * Reads a ModelProto's interface. Throws OnnxReadError for anything that is not an ONNX model: bad
 * protobuf, no graph, or a graph with no inputs or outputs.
 */
export function readOnnxModel(bytes: Uint8Array): OnnxModelInfo {
  if (bytes.length < 8) throw new OnnxReadError(`${bytes.length} bytes is too small to be an ONNX model`);
  const top = new Reader(bytes, 0, bytes.length);
  let irVersion = 0;
  let producer = '';
  const opsets: { domain: string; version: number }[] = [];
  const metadata: Record<string, string> = {};
  let graph: Field | null = null;
  for (let f = top.next(); f; f = top.next()) {
    if (f.field === 1 && f.wire === 0) irVersion = f.value;
    else if (f.field === 2 && f.wire === 2) producer = top.str(f);
    else if (f.field === 7 && f.wire === 2) graph = f;
    else if (f.field === 8 && f.wire === 2) {
      const o = top.sub(f);
      let domain = '';
      let version = 0;
      for (let g = o.next(); g; g = o.next()) {
        if (g.field === 1 && g.wire === 2) domain = o.str(g);
        else if (g.field === 2 && g.wire === 0) version = g.value;
      }
      opsets.push({ domain, version });
    } else if (f.field === 14 && f.wire === 2) {
      const kv = top.sub(f);
      let key = '';
      let value = '';
      for (let g = kv.next(); g; g = kv.next()) {
        if (g.field === 1 && g.wire === 2) key = kv.str(g);
        else if (g.field === 2 && g.wire === 2) value = kv.str(g);
      }
      if (Object.keys(metadata).length < MAX_VALUES && key !== '__proto__') metadata[key] = value;
    }
  }
  if (!graph || irVersion === 0) throw new OnnxReadError('no ONNX graph or IR version in the file');

  const g = top.sub(graph);
  const inputs: OnnxValueInfo[] = [];
  const outputs: OnnxValueInfo[] = [];
  const initializerNames = new Set<string>();
  const ops = new Set<string>();
  let nodeCount = 0;
  for (let f = g.next(); f; f = g.next()) {
    if (f.wire !== 2) continue;
    if (f.field === 1) {
      if (++nodeCount > MAX_NODES) throw new OnnxReadError(`more than ${MAX_NODES} nodes`);
      const n = g.sub(f);
      let op = '';
      let domain = '';
      for (let h = n.next(); h; h = n.next()) {
        if (h.field === 4 && h.wire === 2) op = n.str(h);
        else if (h.field === 7 && h.wire === 2) domain = n.str(h);
      }
      if (ops.size < MAX_VALUES) ops.add(domain && domain !== 'ai.onnx' ? `${domain}:${op}` : op);
    } else if (f.field === 5) {
      // TensorProto.name = 8; only the name is read, never the data.
      const t = g.sub(f);
      for (let h = t.next(); h; h = t.next())
        if (h.field === 8 && h.wire === 2 && initializerNames.size < 1_000_000) initializerNames.add(t.str(h));
    } else if (f.field === 11 || f.field === 12) {
      const list = f.field === 11 ? inputs : outputs;
      if (list.length >= MAX_VALUES)
        throw new OnnxReadError(`more than ${MAX_VALUES} graph ${f.field === 11 ? 'inputs' : 'outputs'}`);
      list.push(readValueInfo(g.sub(f)));
    }
  }
  // IR < 4 lists initializers among the inputs; they are not inputs a caller feeds.
  const fed = inputs.filter((v) => !initializerNames.has(v.name));
  if (fed.length === 0 || outputs.length === 0)
    throw new OnnxReadError('the ONNX graph declares no inputs or no outputs');
  return { irVersion, producer, opsets, inputs: fed, outputs, opTypes: [...ops].sort(), nodeCount, metadata };
}

/** "[N, 96, 64]" for messages. */
export function formatShape(shape: readonly OnnxDim[] | null): string {
  return shape === null ? '[?]' : `[${shape.map((d) => (d === null ? '?' : String(d))).join(', ')}]`;
}
