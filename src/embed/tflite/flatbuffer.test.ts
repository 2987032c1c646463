// Unit tests of the FlatBuffers reader on hand-laid buffers (no TFLite file, no dependency); must not read ../shared.
import { describe, expect, it } from 'vitest';
import { FlatBuffer, FlatBufferError } from './flatbuffer.ts';
import type { FbTable } from './flatbuffer.ts';

/** Forward byte writer: objects are laid out by hand so every offset in the test is explicit. */
class Writer {
  private readonly b: number[] = [];
  get pos(): number {
    return this.b.length;
  }
  align(n: number): void {
    while (this.b.length % n !== 0) this.b.push(0);
  }
  u8(v: number): void {
    this.b.push(v & 0xff);
  }
  u16(v: number): void {
    this.u8(v);
    this.u8(v >>> 8);
  }
  u32(v: number): void {
    this.u16(v & 0xffff);
    this.u16((v >>> 16) & 0xffff);
  }
  f32(v: number): void {
    const t = new DataView(new ArrayBuffer(4));
    t.setFloat32(0, v, true);
    for (let i = 0; i < 4; i++) this.u8(t.getUint8(i));
  }
  i64(v: bigint): void {
    const t = new DataView(new ArrayBuffer(8));
    t.setBigInt64(0, v, true);
    for (let i = 0; i < 8; i++) this.u8(t.getUint8(i));
  }
  set32(at: number, v: number): void {
    for (let i = 0; i < 4; i++) this.b[at + i] = (v >>> (8 * i)) & 0xff;
  }
  /** Points the uoffset at `at` to the current position. */
  pointHere(at: number): void {
    this.set32(at, this.pos - at);
  }
  bytes(): Uint8Array {
    return Uint8Array.from(this.b);
  }
}

/**
 * Root { a:int (0); b:short = 7 (1, absent); name:string (2); nums:[int] (3); child:Child (4);
 *        kids:[Child] (5); opt:Child union (6 type, 7 value); f:float (8); big:long (9); raw:[ubyte] (10, absent) }
 * Child { x:int (0) }
 */
function buildSample(): Uint8Array {
  const w = new Writer();
  w.u32(0); // root offset, patched below
  for (const c of 'TEST') w.u8(c.charCodeAt(0));

  // Root vtable: 4 + 2·10 slots (slot 10 not even in the vtable → absent).
  const rootVt = w.pos;
  const rootFields = [4, 0, 8, 12, 16, 20, 40, 24, 28, 32]; // byte offsets in the table; 0 = absent
  w.u16(4 + 2 * rootFields.length);
  w.u16(44); // table size
  for (const f of rootFields) w.u16(f);

  // Child vtable, shared by every Child table.
  const childVt = w.pos;
  w.u16(6);
  w.u16(8);
  w.u16(4);

  w.align(8);
  const root = w.pos;
  w.set32(0, root);
  w.u32(root - rootVt); // soffset (positive: vtable before the table)
  w.u32(-42 >>> 0); // a
  const nameAt = w.pos;
  w.u32(0);
  const numsAt = w.pos;
  w.u32(0);
  const childAt = w.pos;
  w.u32(0);
  const kidsAt = w.pos;
  w.u32(0);
  const optAt = w.pos;
  w.u32(0);
  w.f32(1.5); // f @28
  w.i64(-5n); // big @32
  w.u8(1); // opt_type @40
  w.u8(0);
  w.u16(0);

  const child = (x: number): void => {
    w.align(4);
    const t = w.pos;
    w.u32(t - childVt);
    w.u32(x);
  };

  w.align(4);
  w.pointHere(nameAt);
  const name = new TextEncoder().encode('héllo');
  w.u32(name.length);
  for (const c of name) w.u8(c);
  w.u8(0);

  w.align(4);
  w.pointHere(numsAt);
  w.u32(3);
  for (const n of [1, -2, 2147483647]) w.u32(n >>> 0);

  w.align(4);
  w.pointHere(childAt);
  child(11);

  w.align(4);
  w.pointHere(kidsAt);
  w.u32(2);
  const k0 = w.pos;
  w.u32(0);
  const k1 = w.pos;
  w.u32(0);
  w.pointHere(k0);
  child(21);
  w.pointHere(k1);
  child(22);

  w.align(4);
  w.pointHere(optAt);
  child(31);
  return w.bytes();
}

function readAll(root: FbTable): unknown {
  return {
    a: root.i32(0),
    b: root.i16(1, 7),
    name: root.string(2),
    nums: root.scalars(3, 'i32'),
    child: root.table(4)?.i32(0),
    kids: root.tables(5).map((k) => k.i32(0)),
    opt: (() => {
      const u = root.union(6);
      return { type: u.type, x: u.table?.i32(0) };
    })(),
    f: root.f32(8),
    big: root.i64(9),
    raw: root.bytes(10),
    absentVector: root.scalars(10, 'f32'),
  };
}

describe('FlatBuffer reader', () => {
  it('reads scalars, defaults, strings, vectors, nested tables and unions', () => {
    const fb = new FlatBuffer(buildSample());
    expect(fb.identifier()).toBe('TEST');
    expect(readAll(fb.root())).toEqual({
      a: -42,
      b: 7,
      name: 'héllo',
      nums: [1, -2, 2147483647],
      child: 11,
      kids: [21, 22],
      opt: { type: 1, x: 31 },
      f: 1.5,
      big: -5n,
      raw: null,
      absentVector: [],
    });
    expect(fb.root().has(0)).toBe(true);
    expect(fb.root().has(1)).toBe(false);
    expect(fb.root().has(99)).toBe(false);
  });

  it('reads from a Uint8Array that is a view at an offset into a larger buffer', () => {
    const sample = buildSample();
    const big = new Uint8Array(sample.length + 13);
    big.set(sample, 13);
    expect(readAll(new FlatBuffer(big.subarray(13)).root())).toEqual(readAll(new FlatBuffer(sample).root()));
  });

  it('throws FlatBufferError (never another error) on every truncation', () => {
    const sample = buildSample();
    for (let n = 0; n < sample.length; n++) {
      const cut = sample.slice(0, n);
      let err: unknown;
      try {
        readAll(new FlatBuffer(cut).root());
      } catch (e) {
        err = e;
      }
      // The last byte belongs to the last Child table, which readAll reads: every cut must fail.
      expect(err, `cut at ${n}`).toBeInstanceOf(FlatBufferError);
    }
  });

  it('rejects a vector whose length runs past the end without iterating it', () => {
    const sample = buildSample();
    const view = new DataView(sample.buffer);
    const root = new FlatBuffer(sample).root();
    const numsField = root.pos + 12;
    const numsPos = numsField + view.getUint32(numsField, true);
    view.setUint32(numsPos, 0x7fffffff, true);
    const t0 = performance.now();
    expect(() => new FlatBuffer(sample).root().scalars(3, 'i32')).toThrow(/outside buffer/);
    expect(performance.now() - t0).toBeLessThan(50);
  });

  it('rejects a vtable that points outside the buffer or is malformed', () => {
    const sample = buildSample();
    const view = new DataView(sample.buffer);
    const rootPos = view.getUint32(0, true);
    view.setInt32(rootPos, -100000, true); // vtable far beyond the end
    expect(() => new FlatBuffer(sample).root()).toThrow(FlatBufferError);

    const odd = buildSample();
    const oddView = new DataView(odd.buffer);
    const vt = oddView.getUint32(0, true) - oddView.getInt32(oddView.getUint32(0, true), true);
    oddView.setUint16(vt, 3, true); // vtable size must be even and ≥ 4
    expect(() => new FlatBuffer(odd).root()).toThrow(/vtable size/);
  });

  it('rejects a field whose offset lies beyond the table size', () => {
    const sample = buildSample();
    const view = new DataView(sample.buffer);
    const rootPos = view.getUint32(0, true);
    const vt = rootPos - view.getInt32(rootPos, true);
    view.setUint16(vt + 4, 200, true); // slot 0 at byte 200 of a 44-byte table
    expect(() => new FlatBuffer(sample).root().i32(0)).toThrow(/outside the table/);
  });

  it('rejects buffers too short to hold a root', () => {
    expect(() => new FlatBuffer(new Uint8Array(0)).root()).toThrow(FlatBufferError);
    expect(() => new FlatBuffer(new Uint8Array([1, 2, 3])).root()).toThrow(/too short/);
    expect(new FlatBuffer(new Uint8Array(3)).identifier()).toBe('');
  });
});
