// Tests the hand-written ONNX encoder by running its output in onnxruntime-node; must not depend on ../shared or on the built-in model.
import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { GraphBuilder, attr, encodeModel } from './onnxWriter.ts';

async function session(g: GraphBuilder): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(encodeModel(g));
}

function close(actual: ArrayLike<number>, expected: readonly number[], tol = 1e-6): void {
  expect(actual.length).toBe(expected.length);
  expected.forEach((e, i) => expect(Math.abs((actual[i] ?? NaN) - e)).toBeLessThanOrEqual(tol));
}

/** Minimal protobuf reader for the top level of a message: field number → raw values. */
function readFields(bytes: Uint8Array): Map<number, (bigint | Uint8Array)[]> {
  const fields = new Map<number, (bigint | Uint8Array)[]>();
  let pos = 0;
  const varint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const b = bytes[pos++];
      if (b === undefined) throw new Error('truncated varint');
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
    }
  };
  while (pos < bytes.length) {
    const key = Number(varint());
    const field = key >> 3;
    const wire = key & 7;
    let value: bigint | Uint8Array;
    if (wire === 0) value = varint();
    else if (wire === 2) {
      const len = Number(varint());
      value = bytes.subarray(pos, pos + len);
      pos += len;
    } else if (wire === 5) {
      value = bytes.subarray(pos, pos + 4);
      pos += 4;
    } else throw new Error(`unexpected wire type ${wire}`);
    fields.set(field, [...(fields.get(field) ?? []), value]);
  }
  return fields;
}

describe('onnxWriter', () => {
  it('writes the ModelProto header with the onnx.proto field numbers', () => {
    const g = new GraphBuilder('g');
    const x = g.input('x', 'float32', [1]);
    g.node('Identity', [x], {}, { outputs: ['y'] });
    g.output('y', 'float32', [1]);
    const top = readFields(encodeModel(g, { metadata: { k: 'v' } }));
    expect(top.get(1)).toEqual([8n]); // ir_version
    expect(new TextDecoder().decode(top.get(2)?.[0] as Uint8Array)).toBe('earshot'); // producer_name
    const opset = readFields(top.get(8)?.[0] as Uint8Array); // opset_import
    expect(opset.get(1) === undefined || (opset.get(1)?.[0] as Uint8Array).length === 0).toBe(true); // '' = ai.onnx
    expect(opset.get(2)).toEqual([13n]);
    const graph = readFields(top.get(7)?.[0] as Uint8Array);
    expect(graph.get(1)?.length).toBe(1); // one node
    expect(graph.get(11)?.length).toBe(1); // one input
    expect(graph.get(12)?.length).toBe(1); // one output
    const meta = readFields(top.get(14)?.[0] as Uint8Array);
    expect(new TextDecoder().decode(meta.get(1)?.[0] as Uint8Array)).toBe('k');
  });

  it('Add of a symbolic-batch input and a float32 initializer', async () => {
    const g = new GraphBuilder('add');
    const x = g.input('x', 'float32', ['N', 3]);
    const b = g.initializer('b', 'float32', [3], [0.5, -1, 2]);
    g.node('Add', [x, b], {}, { outputs: ['y'] });
    g.output('y', 'float32', ['N', 3]);
    const s = await session(g);
    const inMeta = s.inputMetadata[0];
    const outMeta = s.outputMetadata[0];
    expect(inMeta?.name).toBe('x');
    expect(inMeta?.isTensor && inMeta.shape).toEqual(['N', 3]);
    expect(outMeta?.isTensor && outMeta.shape).toEqual(['N', 3]);
    const out = await s.run({ x: new ort.Tensor('float32', Float32Array.from([1, 2, 3, 4, 5, 6]), [2, 3]) });
    expect(out.y?.dims).toEqual([2, 3]);
    close(out.y?.data as Float32Array, [1.5, 1, 5, 4.5, 4, 8]);
  });

  it('Conv with ints/int attributes matches a hand computation', async () => {
    const g = new GraphBuilder('conv');
    const x = g.input('x', 'float32', [1, 1, 4, 4]);
    const weight = [1, 0, -1, 2, 0, -2, 1, 0, -1]; // Sobel-x
    const w = g.initializer('w', 'float32', [1, 1, 3, 3], weight);
    const bias = g.initializer('bias', 'float32', [1], [0.25]);
    g.node(
      'Conv',
      [x, w, bias],
      { kernel_shape: [3, 3], pads: [1, 1, 1, 1], strides: [2, 2], dilations: [1, 1], group: 1 },
      { outputs: ['y'] },
    );
    g.output('y', 'float32', [1, 1, 2, 2]);
    const input = Array.from({ length: 16 }, (_, i) => (i * 7) % 5);
    const at = (r: number, c: number): number => (r < 0 || c < 0 || r > 3 || c > 3 ? 0 : (input[r * 4 + c] ?? 0));
    const expected: number[] = [];
    for (const r of [0, 2]) {
      for (const c of [0, 2]) {
        let sum = 0.25;
        for (let kr = 0; kr < 3; kr++)
          for (let kc = 0; kc < 3; kc++) sum += at(r + kr - 1, c + kc - 1) * (weight[kr * 3 + kc] ?? 0);
        expected.push(sum);
      }
    }
    const out = await (await session(g)).run({ x: new ort.Tensor('float32', Float32Array.from(input), [1, 1, 4, 4]) });
    expect(out.y?.dims).toEqual([1, 1, 2, 2]);
    close(out.y?.data as Float32Array, expected);
  });

  it('float, floats, string, tensor and negative int attributes; int32/int64 initializers; multiple outputs', async () => {
    const g = new GraphBuilder('kinds');
    const x = g.input('x', 'float32', ['N', 4]);
    const leaky = g.node('LeakyRelu', [x], { alpha: attr.float(0.1) }); // float
    const offsets = g.node('Constant', [], { value_floats: attr.floats([1, 2, 3, 4]) }); // floats
    const shifted = g.node('Add', [leaky, offsets]);
    const padded = g.node('Pad', [shifted, g.initializer('pads', 'int64', [4], [0, 1, 0, 1])], { mode: 'reflect' }); // string, [N,6]
    const picked = g.node('Gather', [padded, g.initializer('idx', 'int32', [2], [0, 5])], { axis: 1 }); // int32 indices, [N,2]
    const scale = g.node('Constant', [], {
      value: attr.tensor({ name: '', elemType: 'float32', dims: [1], data: [10] }),
    }); // tensor
    g.node('Mul', [picked, scale], {}, { outputs: ['picked'] });
    g.node('ReduceMax', [padded], { axes: [-1], keepdims: 0 }, { outputs: ['peak'] }); // negative int in ints (opset 13 keeps axes an attribute here)
    g.nodeOutputs(
      'TopK',
      [shifted, g.initializer('k', 'int64', [1], [2n])],
      { axis: -1 },
      { outputs: ['top_values', 'top_indices'] },
    );
    g.output('picked', 'float32', ['N', 2]);
    g.output('peak', 'float32', ['N']);
    g.output('top_values', 'float32', ['N', 2]);
    g.output('top_indices', 'int64', ['N', 2]);

    const s = await session(g);
    expect(s.outputNames).toEqual(['picked', 'peak', 'top_values', 'top_indices']);
    const out = await s.run({ x: new ort.Tensor('float32', Float32Array.from([-10, 0, 5, 1]), [1, 4]) });
    // leaky: [-1, 0, 5, 1]; +offsets: [0, 2, 8, 5]; reflect pad: [2, 0, 2, 8, 5, 8]
    close(out.picked?.data as Float32Array, [20, 80]);
    close(out.peak?.data as Float32Array, [8]);
    close(out.top_values?.data as Float32Array, [8, 5]);
    expect(Array.from(out.top_indices?.data as BigInt64Array)).toEqual([2n, 3n]);
  });

  it('graph-valued attributes (If with two branches)', async () => {
    const branch = (op: 'Add' | 'Sub', name: string): GraphBuilder => {
      const b = new GraphBuilder(name);
      b.node(op, ['x', 'one'], {}, { outputs: [`${name}_y`] }); // outer-scope names
      b.output(`${name}_y`, 'float32', [2]);
      return b;
    };
    const g = new GraphBuilder('if');
    g.input('cond', 'bool', []);
    g.input('x', 'float32', [2]);
    g.initializer('one', 'float32', [], [1]);
    g.node(
      'If',
      ['cond'],
      { then_branch: attr.graph(branch('Add', 'then')), else_branch: attr.graph(branch('Sub', 'else')) },
      { outputs: ['y'] },
    );
    g.output('y', 'float32', [2]);
    const s = await session(g);
    const x = new ort.Tensor('float32', Float32Array.from([3, 4]), [2]);
    close((await s.run({ cond: new ort.Tensor('bool', [true], []), x })).y?.data as Float32Array, [4, 5]);
    close((await s.run({ cond: new ort.Tensor('bool', [false], []), x })).y?.data as Float32Array, [2, 3]);
  });

  it('rejects ambiguous or inconsistent input', () => {
    const g = new GraphBuilder();
    const x = g.input('x', 'float32', [2]);
    expect(() => g.node('LeakyRelu', [x], { alpha: 0.1 })).toThrow(/attr\.float/);
    expect(() => g.initializer('w', 'float32', [2, 2], [1, 2, 3])).toThrow(/dims/);
    expect(() => g.input('x', 'float32', [2])).toThrow(/already used/);
  });
});
