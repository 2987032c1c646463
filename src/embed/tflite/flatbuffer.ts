// Minimal bounds-checked FlatBuffers reader (tables, vtables, vectors, strings, unions); pure: no DOM, no Node, no dependencies, never trusts an offset.
//
// Why hand-rolled: the app converts a user-supplied TFLite file in a worker, and the official
// `flatbuffers` package reads past the end of a truncated buffer (undefined / RangeError from deep
// inside). Every read here checks its bounds first and throws FlatBufferError naming what was read.
// Offsets to children (uoffset_t) are unsigned and added to their own position, so following them
// always moves forward: a malformed file cannot make the reader loop.

/** Thrown for any structurally invalid buffer (truncated, offset out of range, bad vtable). */
export class FlatBufferError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FlatBufferError';
  }
}

const UTF8 = new TextDecoder('utf-8', { fatal: false });

/** Owns the bytes and a DataView over them; tables, vectors and strings are positions into it. */
export class FlatBuffer {
  readonly bytes: Uint8Array;
  readonly view: DataView;

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get length(): number {
    return this.bytes.byteLength;
  }

  /** Throws unless [pos, pos + size) lies inside the buffer. */
  check(pos: number, size: number, what: string): void {
    if (!Number.isSafeInteger(pos) || pos < 0 || size < 0 || pos + size > this.bytes.byteLength) {
      throw new FlatBufferError(`${what}: bytes [${pos}, ${pos + size}) outside buffer of ${this.bytes.byteLength}`);
    }
  }

  u8(pos: number, what = 'u8'): number {
    this.check(pos, 1, what);
    return this.view.getUint8(pos);
  }
  i8(pos: number, what = 'i8'): number {
    this.check(pos, 1, what);
    return this.view.getInt8(pos);
  }
  u16(pos: number, what = 'u16'): number {
    this.check(pos, 2, what);
    return this.view.getUint16(pos, true);
  }
  i16(pos: number, what = 'i16'): number {
    this.check(pos, 2, what);
    return this.view.getInt16(pos, true);
  }
  u32(pos: number, what = 'u32'): number {
    this.check(pos, 4, what);
    return this.view.getUint32(pos, true);
  }
  i32(pos: number, what = 'i32'): number {
    this.check(pos, 4, what);
    return this.view.getInt32(pos, true);
  }
  i64(pos: number, what = 'i64'): bigint {
    this.check(pos, 8, what);
    return this.view.getBigInt64(pos, true);
  }
  u64(pos: number, what = 'u64'): bigint {
    this.check(pos, 8, what);
    return this.view.getBigUint64(pos, true);
  }
  f32(pos: number, what = 'f32'): number {
    this.check(pos, 4, what);
    return this.view.getFloat32(pos, true);
  }
  f64(pos: number, what = 'f64'): number {
    this.check(pos, 8, what);
    return this.view.getFloat64(pos, true);
  }

  /** Follows the uoffset_t stored at `pos` (target = pos + value). */
  deref(pos: number, what: string): number {
    const target = pos + this.u32(pos, what);
    this.check(target, 4, what); // every referenced object starts with a 4-byte length or soffset
    return target;
  }

  /** The 4-character file identifier (bytes 4..8), or '' when the buffer is too short. */
  identifier(): string {
    if (this.bytes.byteLength < 8) return '';
    return String.fromCharCode(...this.bytes.subarray(4, 8));
  }

  /** The root table (uoffset at byte 0). */
  root(name = 'root'): FbTable {
    if (this.bytes.byteLength < 8)
      throw new FlatBufferError(`${name}: buffer of ${this.bytes.byteLength} bytes is too short for a FlatBuffer`);
    return new FbTable(this, this.deref(0, `${name} offset`), name);
  }
}

/** Element kinds a vector of scalars can hold (the width and the DataView getter). */
export type ScalarKind = 'u8' | 'i8' | 'u16' | 'i16' | 'u32' | 'i32' | 'f32' | 'f64';
const SCALAR_SIZE: Readonly<Record<ScalarKind, number>> = {
  u8: 1,
  i8: 1,
  u16: 2,
  i16: 2,
  u32: 4,
  i32: 4,
  f32: 4,
  f64: 8,
};

/**
 * A table: `pos` holds an soffset_t to its vtable (vtable = pos − soffset). The vtable is
 * [u16 vtable bytes, u16 table bytes, u16 field offsets...]; a field is absent when its slot lies
 * beyond the vtable or holds 0. Slot = the field's declaration order in the schema, where a union
 * field counts twice (its `_type` byte first, then the value).
 */
export class FbTable {
  private readonly vtable: number;
  private readonly vtableSize: number;
  private readonly tableSize: number;

  constructor(
    readonly fb: FlatBuffer,
    readonly pos: number,
    readonly name: string,
  ) {
    const vt = pos - fb.i32(pos, `${name} vtable offset`);
    this.vtableSize = fb.u16(vt, `${name} vtable`);
    this.tableSize = fb.u16(vt + 2, `${name} vtable`);
    if (this.vtableSize < 4 || this.vtableSize % 2 !== 0) {
      throw new FlatBufferError(`${name}: vtable size ${this.vtableSize} is invalid`);
    }
    fb.check(vt, this.vtableSize, `${name} vtable`);
    fb.check(pos, Math.max(4, this.tableSize), `${name} table`);
    this.vtable = vt;
  }

  /** Byte offset of a field inside the table, 0 when absent. */
  private fieldOffset(slot: number): number {
    const at = 4 + 2 * slot;
    if (at + 2 > this.vtableSize) return 0;
    const off = this.fb.u16(this.vtable + at, `${this.name} vtable`);
    if (off !== 0 && off + 1 > this.tableSize) {
      throw new FlatBufferError(
        `${this.name}: field slot ${slot} at offset ${off} lies outside the table (${this.tableSize} bytes)`,
      );
    }
    return off;
  }

  has(slot: number): boolean {
    return this.fieldOffset(slot) !== 0;
  }

  private scalar<T>(slot: number, def: T, size: number, read: (pos: number, what: string) => T): T {
    const off = this.fieldOffset(slot);
    if (off === 0) return def;
    const what = `${this.name} field ${slot}`;
    if (off + size > this.tableSize) throw new FlatBufferError(`${what}: ${size}-byte scalar crosses the table end`);
    return read(this.pos + off, what);
  }

  u8(slot: number, def = 0): number {
    return this.scalar(slot, def, 1, (p, w) => this.fb.u8(p, w));
  }
  i8(slot: number, def = 0): number {
    return this.scalar(slot, def, 1, (p, w) => this.fb.i8(p, w));
  }
  bool(slot: number, def = false): boolean {
    return this.scalar(slot, def, 1, (p, w) => this.fb.u8(p, w) !== 0);
  }
  u16(slot: number, def = 0): number {
    return this.scalar(slot, def, 2, (p, w) => this.fb.u16(p, w));
  }
  i16(slot: number, def = 0): number {
    return this.scalar(slot, def, 2, (p, w) => this.fb.i16(p, w));
  }
  u32(slot: number, def = 0): number {
    return this.scalar(slot, def, 4, (p, w) => this.fb.u32(p, w));
  }
  i32(slot: number, def = 0): number {
    return this.scalar(slot, def, 4, (p, w) => this.fb.i32(p, w));
  }
  i64(slot: number, def = 0n): bigint {
    return this.scalar(slot, def, 8, (p, w) => this.fb.i64(p, w));
  }
  u64(slot: number, def = 0n): bigint {
    return this.scalar(slot, def, 8, (p, w) => this.fb.u64(p, w));
  }
  f32(slot: number, def = 0): number {
    return this.scalar(slot, def, 4, (p, w) => this.fb.f32(p, w));
  }
  f64(slot: number, def = 0): number {
    return this.scalar(slot, def, 8, (p, w) => this.fb.f64(p, w));
  }

  /** Position of the object an offset field points at, or null when absent. */
  private ref(slot: number): number | null {
    const off = this.fieldOffset(slot);
    if (off === 0) return null;
    if (off + 4 > this.tableSize) throw new FlatBufferError(`${this.name} field ${slot}: offset crosses the table end`);
    return this.fb.deref(this.pos + off, `${this.name} field ${slot}`);
  }

  table(slot: number, name = `${this.name}.${slot}`): FbTable | null {
    const p = this.ref(slot);
    return p === null ? null : new FbTable(this.fb, p, name);
  }

  string(slot: number): string | null {
    const p = this.ref(slot);
    if (p === null) return null;
    const n = this.fb.u32(p, `${this.name} field ${slot} string length`);
    this.fb.check(p + 4, n, `${this.name} field ${slot} string`);
    return UTF8.decode(this.fb.bytes.subarray(p + 4, p + 4 + n));
  }

  /** A vector's element count and the position of its first element, or null when absent. */
  vector(slot: number, elemSize: number): { readonly start: number; readonly length: number } | null {
    const p = this.ref(slot);
    if (p === null) return null;
    const length = this.fb.u32(p, `${this.name} field ${slot} vector length`);
    // Checking the whole extent up front bounds the loop that reads it: no huge bogus lengths.
    this.fb.check(p + 4, length * elemSize, `${this.name} field ${slot} vector of ${length}`);
    return { start: p + 4, length };
  }

  /** A vector of scalars as plain numbers ([] when absent). */
  scalars(slot: number, kind: ScalarKind): number[] {
    const size = SCALAR_SIZE[kind];
    const v = this.vector(slot, size);
    if (v === null) return [];
    const out = new Array<number>(v.length);
    const dv = this.fb.view;
    for (let i = 0; i < v.length; i++) {
      const p = v.start + i * size;
      switch (kind) {
        case 'u8':
          out[i] = dv.getUint8(p);
          break;
        case 'i8':
          out[i] = dv.getInt8(p);
          break;
        case 'u16':
          out[i] = dv.getUint16(p, true);
          break;
        case 'i16':
          out[i] = dv.getInt16(p, true);
          break;
        case 'u32':
          out[i] = dv.getUint32(p, true);
          break;
        case 'i32':
          out[i] = dv.getInt32(p, true);
          break;
        case 'f32':
          out[i] = dv.getFloat32(p, true);
          break;
        case 'f64':
          out[i] = dv.getFloat64(p, true);
          break;
      }
    }
    return out;
  }

  /** A vector of 64-bit integers as bigint ([] when absent). */
  int64s(slot: number): bigint[] {
    const v = this.vector(slot, 8);
    if (v === null) return [];
    const out = new Array<bigint>(v.length);
    for (let i = 0; i < v.length; i++) out[i] = this.fb.view.getBigInt64(v.start + i * 8, true);
    return out;
  }

  /** A [ubyte] vector as a view into the buffer (no copy), or null when absent. */
  bytes(slot: number): Uint8Array | null {
    const v = this.vector(slot, 1);
    return v === null ? null : this.fb.bytes.subarray(v.start, v.start + v.length);
  }

  /** A vector of tables ([] when absent); each element is a uoffset to its table. */
  tables(slot: number, name = `${this.name}.${slot}`): FbTable[] {
    const v = this.vector(slot, 4);
    if (v === null) return [];
    const out: FbTable[] = [];
    for (let i = 0; i < v.length; i++) {
      const p = v.start + i * 4;
      out.push(new FbTable(this.fb, this.fb.deref(p, `${name}[${i}]`), `${name}[${i}]`));
    }
    return out;
  }

  /** A union: its type byte sits in `typeSlot`, the value table in `typeSlot + 1`. type 0 = NONE. */
  union(
    typeSlot: number,
    name = `${this.name}.${typeSlot + 1}`,
  ): { readonly type: number; readonly table: FbTable | null } {
    const type = this.u8(typeSlot);
    if (type === 0) return { type, table: null };
    return { type, table: this.table(typeSlot + 1, name) };
  }
}
