// WebAssembly SIMD kernel for StreamingResampler's inner loop, bit-identical to its JavaScript loop (same four float64 accumulators, same order, no fused multiply-add); pure: no DOM, no Node, assembled in code, no files.

// The few WebAssembly names used, declared here so this file type-checks under a bare ES lib (dsp/ has no DOM or
// Node types); every runtime that runs Earshot (browsers, workers, worklets, Node) provides them.
interface WasmMemory {
  readonly buffer: ArrayBuffer;
}
interface WasmInstance {
  readonly exports: Record<string, unknown>;
}
declare const WebAssembly:
  | {
      Module: new (bytes: Uint8Array) => object;
      Instance: new (module: object, imports: Record<string, Record<string, unknown>>) => WasmInstance;
      Memory: new (descriptor: { initial: number }) => WasmMemory;
    }
  | undefined;

const PAGE_BYTES = 65536;
/** Outputs per kernel call: the scratch area the kernel writes them to. */
export const SIMD_SCRATCH_OUTPUTS = 4096;

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

function name(s: string): number[] {
  return [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];
}

// Opcodes (WebAssembly core + SIMD; the SIMD ones follow the 0xFD prefix as unsigned LEB128).
const I32 = 0x7f;
const F64 = 0x7c;
const V128 = 0x7b;
const get = (i: number): number[] => [0x20, i];
const set = (i: number): number[] => [0x21, i];
const tee = (i: number): number[] => [0x22, i];
const i32c = (v: number): number[] => [0x41, ...sleb(v)];
function sleb(v: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}
const mem = (align: number, offset: number): number[] => [align, ...uleb(offset)];
const simd = (op: number, ...rest: number[]): number[] => [0xfd, ...uleb(op), ...rest];
const OP = {
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  if: [0x04, 0x40],
  end: [0x0b],
  br: (d: number) => [0x0c, d],
  brIf: (d: number) => [0x0d, d],
  i32Load: (o: number) => [0x28, ...mem(2, o)],
  i32Store: (o: number) => [0x36, ...mem(2, o)],
  f64Load: [0x2b, ...mem(3, 0)],
  f32Load: [0x2a, ...mem(2, 0)],
  f32Store: [0x38, ...mem(2, 0)],
  i32Eqz: [0x45],
  i32GeS: [0x4e],
  i32GeU: [0x4f],
  i32Add: [0x6a],
  i32Sub: [0x6b],
  i32Mul: [0x6c],
  i32DivU: [0x6e],
  i32And: [0x71],
  i32Shl: [0x74],
  i32ShrU: [0x76],
  f64Add: [0xa0],
  f64Mul: [0xa2],
  f32DemoteF64: [0xb6],
  f64PromoteF32: [0xbb],
  v128Load: (o: number) => simd(0x00, ...mem(4, o)),
  v128Load64Zero: (o: number) => simd(0x5d, ...mem(3, o)),
  v128Zero: simd(0x0c, ...new Array<number>(16).fill(0)),
  f64x2PromoteLow: simd(0x5f),
  f64x2Add: simd(0xf0),
  f64x2Mul: simd(0xf2),
  f64x2Lane: (lane: number) => simd(0x21, lane),
};

/**
 * produce(cOff, fOff, bOff, oOff, taps, up, down, phase, x, xLimit, maxCount) → outputs written.
 * For each output while n < maxCount and x < xLimit: r = firstTap[phase]; four float64 sums over the branch's taps
 * (a0 takes taps r, r+4, …; a1 r+1, …) as f64x2 pairs (a0,a1) and (a2,a3); the taps left over go to a0; the output
 * is f32((a0 + a1) + (a2 + a3)); then phase += down, carrying whole `up`s into x. The final phase and x are stored at
 * bytes 0 and 4. Byte offsets: cOff float64 taps [up][taps], fOff int32 first taps [up], bOff float32 buffer,
 * oOff float32 outputs.
 */
function kernelModule(): Uint8Array {
  const [cOff, fOff, bOff, oOff, taps, up, down, phase, x, xLimit, maxCount] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  const [n, r, cp, xp, quads, rem, carry, accA, accB, a0, a1, a2, a3] = [
    11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23,
  ];
  const pairStep = (acc: number, cOffset: number, xOffset: number): number[] => [
    ...get(acc),
    ...get(cp),
    ...OP.v128Load(cOffset),
    ...get(xp),
    ...OP.v128Load64Zero(xOffset),
    ...OP.f64x2PromoteLow,
    ...OP.f64x2Mul,
    ...OP.f64x2Add,
    ...set(acc),
  ];
  const addTo = (local: number, by: number): number[] => [...get(local), ...i32c(by), ...OP.i32Add, ...set(local)];
  const body = [
    ...OP.block,
    ...OP.loop,
    ...get(n),
    ...get(maxCount),
    ...OP.i32GeS,
    ...OP.brIf(1),
    ...get(x),
    ...get(xLimit),
    ...OP.i32GeS,
    ...OP.brIf(1),
    ...get(fOff),
    ...get(phase),
    ...i32c(2),
    ...OP.i32Shl,
    ...OP.i32Add,
    ...OP.i32Load(0),
    ...set(r),
    ...get(cOff),
    ...get(phase),
    ...get(taps),
    ...OP.i32Mul,
    ...get(r),
    ...OP.i32Add,
    ...i32c(3),
    ...OP.i32Shl,
    ...OP.i32Add,
    ...set(cp),
    ...get(bOff),
    ...get(x),
    ...get(r),
    ...OP.i32Add,
    ...i32c(2),
    ...OP.i32Shl,
    ...OP.i32Add,
    ...set(xp),
    ...get(taps),
    ...get(r),
    ...OP.i32Sub,
    ...tee(quads),
    ...i32c(3),
    ...OP.i32And,
    ...set(rem),
    ...get(quads),
    ...i32c(2),
    ...OP.i32ShrU,
    ...set(quads),
    ...OP.v128Zero,
    ...set(accA),
    ...OP.v128Zero,
    ...set(accB),
    ...OP.block,
    ...OP.loop,
    ...get(quads),
    ...OP.i32Eqz,
    ...OP.brIf(1),
    ...pairStep(accA, 0, 0),
    ...pairStep(accB, 16, 8),
    ...addTo(cp, 32),
    ...addTo(xp, 16),
    ...addTo(quads, -1),
    ...OP.br(0),
    ...OP.end,
    ...OP.end,
    ...get(accA),
    ...OP.f64x2Lane(0),
    ...set(a0),
    ...get(accA),
    ...OP.f64x2Lane(1),
    ...set(a1),
    ...get(accB),
    ...OP.f64x2Lane(0),
    ...set(a2),
    ...get(accB),
    ...OP.f64x2Lane(1),
    ...set(a3),
    ...OP.block,
    ...OP.loop,
    ...get(rem),
    ...OP.i32Eqz,
    ...OP.brIf(1),
    ...get(a0),
    ...get(cp),
    ...OP.f64Load,
    ...get(xp),
    ...OP.f32Load,
    ...OP.f64PromoteF32,
    ...OP.f64Mul,
    ...OP.f64Add,
    ...set(a0),
    ...addTo(cp, 8),
    ...addTo(xp, 4),
    ...addTo(rem, -1),
    ...OP.br(0),
    ...OP.end,
    ...OP.end,
    ...get(oOff),
    ...get(n),
    ...i32c(2),
    ...OP.i32Shl,
    ...OP.i32Add,
    ...get(a0),
    ...get(a1),
    ...OP.f64Add,
    ...get(a2),
    ...get(a3),
    ...OP.f64Add,
    ...OP.f64Add,
    ...OP.f32DemoteF64,
    ...OP.f32Store,
    ...addTo(n, 1),
    ...get(phase),
    ...get(down),
    ...OP.i32Add,
    ...tee(phase),
    ...get(up),
    ...OP.i32GeU,
    ...OP.if,
    ...get(phase),
    ...get(up),
    ...OP.i32DivU,
    ...set(carry),
    ...get(x),
    ...get(carry),
    ...OP.i32Add,
    ...set(x),
    ...get(phase),
    ...get(carry),
    ...get(up),
    ...OP.i32Mul,
    ...OP.i32Sub,
    ...set(phase),
    ...OP.end,
    ...OP.br(0),
    ...OP.end,
    ...OP.end,
    ...i32c(0),
    ...get(phase),
    ...OP.i32Store(0),
    ...i32c(0),
    ...get(x),
    ...OP.i32Store(4),
    ...get(n),
    ...OP.end,
  ];
  const locals = [3, 7, I32, 2, V128, 4, F64];
  const func = [...locals, ...body];
  const bytes = [
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, [1, 0x60, 11, ...new Array<number>(11).fill(I32), 1, I32]),
    ...section(2, [1, ...name('e'), ...name('m'), 0x02, 0x00, 0x01]),
    ...section(3, [1, 0]),
    ...section(7, [1, ...name('p'), 0x00, 0]),
    ...section(10, [1, ...uleb(func.length), ...func]),
  ];
  return Uint8Array.from(bytes);
}

let compiled: object | null | undefined;

/** The compiled kernel module, or null where WebAssembly SIMD is not available (or blocked, e.g. by a CSP). */
function kernelCode(): object | null {
  if (compiled === undefined) {
    try {
      compiled = typeof WebAssembly === 'undefined' ? null : new WebAssembly.Module(kernelModule());
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

export interface SimdKernel {
  /** Coefficients [up][taps] (float64), to be filled by the caller. */
  readonly coeffs: Float64Array;
  readonly firstTap: Int32Array;
  /** The resampler's history buffer, living in the kernel's memory. */
  readonly buffer: Float32Array;
  /** Runs the kernel; outputs land in `scratch` [0, count). */
  run(phase: number, x: number, xLimit: number, maxCount: number): { count: number; phase: number; x: number };
  readonly scratch: Float32Array;
}

/** A kernel with its own memory for a resampler of `up` phases (stepping `down`) × `taps` taps and a buffer of `bufferSamples`; null without WebAssembly SIMD. */
export function createSimdKernel(up: number, down: number, taps: number, bufferSamples: number): SimdKernel | null {
  const code = kernelCode();
  if (code === null || typeof WebAssembly === 'undefined') return null;
  const cOff = 16;
  const fOff = cOff + up * taps * 8;
  const bOff = fOff + up * 4 + ((16 - ((up * 4) % 16)) % 16);
  const oOff = bOff + bufferSamples * 4 + ((16 - ((bufferSamples * 4) % 16)) % 16);
  const total = oOff + SIMD_SCRATCH_OUTPUTS * 4;
  if (total > 1 << 30) return null;
  try {
    const memory = new WebAssembly.Memory({ initial: Math.ceil(total / PAGE_BYTES) });
    const instance = new WebAssembly.Instance(code, { e: { m: memory } });
    const produce = instance.exports['p'] as (...args: number[]) => number;
    const state = new Int32Array(memory.buffer, 0, 2);
    return {
      coeffs: new Float64Array(memory.buffer, cOff, up * taps),
      firstTap: new Int32Array(memory.buffer, fOff, up),
      buffer: new Float32Array(memory.buffer, bOff, bufferSamples),
      scratch: new Float32Array(memory.buffer, oOff, SIMD_SCRATCH_OUTPUTS),
      run(phase, x, xLimit, maxCount) {
        const count = produce(
          cOff,
          fOff,
          bOff,
          oOff,
          taps,
          up,
          down,
          phase,
          x,
          xLimit,
          Math.min(maxCount, SIMD_SCRATCH_OUTPUTS),
        );
        return { count, phase: state[0]!, x: state[1]! };
      },
    };
  } catch {
    return null;
  }
}
