// Share-link codec: view state ⇄ "#s1.<base64url(deflate(binary))>" with an exact grammar and caps; pure, must not read location, touch the DOM or fetch.
import { deflateSync, inflateSync } from 'fflate';
import { EarshotError } from '../lib/errors.ts';
import { unsafeUrlReason } from './safeUrl.ts';
import { cameraProblem } from './shareCamera.ts';

export type Vec3 = [number, number, number];

export interface ShareCamera {
  position: Vec3;
  target: Vec3;
  up: Vec3;
  /** Vertical field of view in degrees, within shareCamera.ts CAMERA_LIMITS (1–179). */
  fovDeg: number;
}

/** The 3D map, its spherical view, or the flat (2D) UMAP of the same points. */
export type ShareLayout = 'cartesian' | 'spherical' | 'flat';
export type ShareGranularity = 'file' | 'window';

export interface ShareState {
  v: 1;
  /** http(s) URL or a relative reference (resolved against the page by the app). */
  datasetUrl: string;
  /** null: no camera (the app frames the points); decoding a link whose camera is unusable gives null and a note. */
  camera: ShareCamera | null;
  /** Colour mode id, e.g. "label", "file", "descriptor:s_centroid": 1–64 of [A-Za-z0-9_.:-]. */
  colourMode: string;
  /** Selected point indices, ascending and unique (encode normalises). */
  selection: number[];
  pinned: number | null;
  /** Labels hidden and labels isolated, each ascending and unique (encode normalises). */
  filters: { hidden: string[]; isolated: string[] };
  layout: ShareLayout;
  granularity: ShareGranularity;
  /**
   * Filters beyond labels: folder legend filters, a range filter on a continuous colour mode, a time brush (UTC epoch
   * ms). Absent when none is set (so every state has one encoding); older links never carry it.
   */
  extras?: ShareExtras;
}

export interface ShareExtras {
  folders: { hidden: string[]; isolated: string[] };
  range: { mode: string; min: number; max: number } | null;
  timeBrush: [number, number] | null;
}

export const SHARE_LINK_PREFIX = 's1.';

export const SHARE_LIMITS = {
  /** Whole hash, "#" and prefix included. */
  hashChars: 64 * 1024,
  /** Inflated payload; deflate can expand ~1000×, so this bounds work and memory. */
  payloadBytes: 2 * 1024 * 1024,
  selection: 1_000_000,
  /** Largest point index (also the native format's cap is lower; this is the codec's). */
  pointIndex: 0x7fffffff,
  urlBytes: 4096,
  colourModeChars: 64,
  filterLabels: 4096,
  labelBytes: 1024,
} as const;

const VERSION_BYTE = 1;
const FLAG_SPHERICAL = 1;
const FLAG_WINDOW = 2;
const FLAG_PINNED = 4;
const FLAG_EXTRAS = 8;
/** The payload has no camera floats: the view opens with the default framing. */
const FLAG_NO_CAMERA = 16;
/** The 2D view (never together with FLAG_SPHERICAL). */
const FLAG_FLAT = 32;
const KNOWN_FLAGS = FLAG_SPHERICAL | FLAG_WINDOW | FLAG_PINNED | FLAG_EXTRAS | FLAG_NO_CAMERA | FLAG_FLAT;
const COLOUR_MODE = /^[A-Za-z0-9_.:-]{1,64}$/;

function shareError(message: string): never {
  throw new EarshotError('E_SHARE_LINK', `share link: ${message}`);
}

// ───────────────────────────── normalise / validate ─────────────────────────────

function checkVec3(v: unknown, what: string): Vec3 {
  if (!Array.isArray(v) || v.length !== 3) shareError(`${what} must be three numbers`);
  for (const x of v) if (typeof x !== 'number' || !Number.isFinite(x)) shareError(`${what} must be finite numbers`);
  return [v[0] as number, v[1] as number, v[2] as number];
}

function checkIndex(i: number, what: string): number {
  if (!Number.isInteger(i) || i < 0 || i > SHARE_LIMITS.pointIndex) shareError(`${what} ${i} is not a point index`);
  return i;
}

function sortedUniqueStrings(list: readonly string[], what: string): string[] {
  if (list.length > SHARE_LIMITS.filterLabels) shareError(`${what} has more than ${SHARE_LIMITS.filterLabels} labels`);
  for (const s of list) {
    if (typeof s !== 'string') shareError(`${what} must hold strings`);
    if (utf8.encode(s).length > SHARE_LIMITS.labelBytes)
      shareError(`a label in ${what} is longer than ${SHARE_LIMITS.labelBytes} bytes`);
  }
  return [...new Set(list)].sort(compareStrings);
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Checks a state and returns its canonical form (selection and filter labels sorted and deduplicated, fresh arrays).
 * decode(encode(x)) equals normalizeShareState(x). Throws E_SHARE_LINK on anything the codec would not carry.
 */
export function normalizeShareState(state: ShareState): ShareState {
  if (state.v !== 1) shareError(`version ${String(state.v)} is not 1`);
  const reason = unsafeUrlReason(state.datasetUrl);
  if (reason !== null) shareError(`dataset URL: ${reason}`);
  if (utf8.encode(state.datasetUrl).length > SHARE_LIMITS.urlBytes) shareError('dataset URL is too long');
  if (!COLOUR_MODE.test(state.colourMode)) shareError('colour mode must be 1–64 of A–Z a–z 0–9 _ . : -');
  if (state.layout !== 'cartesian' && state.layout !== 'spherical' && state.layout !== 'flat')
    shareError(`layout "${String(state.layout)}"`);
  if (state.granularity !== 'file' && state.granularity !== 'window')
    shareError(`granularity "${String(state.granularity)}"`);
  if (state.selection.length > SHARE_LIMITS.selection)
    shareError(`selection has more than ${SHARE_LIMITS.selection} points`);
  const selection = [...new Set(state.selection.map((i) => checkIndex(i, 'selected point')))].sort((a, b) => a - b);
  const extras = state.extras ? normalizeExtras(state.extras) : null;
  return {
    v: 1,
    datasetUrl: state.datasetUrl,
    camera: state.camera === null ? null : normalizeCamera(state.camera),
    colourMode: state.colourMode,
    selection,
    pinned: state.pinned === null ? null : checkIndex(state.pinned, 'pinned point'),
    filters: {
      hidden: sortedUniqueStrings(state.filters.hidden, 'hidden labels'),
      isolated: sortedUniqueStrings(state.filters.isolated, 'isolated labels'),
    },
    layout: state.layout,
    granularity: state.granularity,
    ...(extras ? { extras } : {}),
  };
}

/** A fresh copy of a camera the app can show; throws E_SHARE_LINK with the reason for one it cannot (never encoded). */
function normalizeCamera(c: ShareCamera): ShareCamera {
  const camera: ShareCamera = {
    position: checkVec3(c.position, 'camera position'),
    target: checkVec3(c.target, 'camera target'),
    up: checkVec3(c.up, 'camera up'),
    fovDeg: c.fovDeg,
  };
  const problem = cameraProblem(camera);
  if (problem !== null) shareError(`the camera cannot be shared: ${problem}`);
  return camera;
}

/** Canonical extras, or null when they hold nothing (then the link carries no extras block). */
function normalizeExtras(e: ShareExtras): ShareExtras | null {
  const folders = {
    hidden: sortedUniqueStrings(e.folders.hidden, 'hidden folders'),
    isolated: sortedUniqueStrings(e.folders.isolated, 'isolated folders'),
  };
  let range: ShareExtras['range'] = null;
  if (e.range) {
    if (!COLOUR_MODE.test(e.range.mode)) shareError('range filter mode must be 1–64 of A–Z a–z 0–9 _ . : -');
    checkRange(e.range.min, e.range.max, 'range filter');
    range = { mode: e.range.mode, min: e.range.min, max: e.range.max };
  }
  let timeBrush: ShareExtras['timeBrush'] = null;
  if (e.timeBrush) {
    checkRange(e.timeBrush[0], e.timeBrush[1], 'time brush');
    timeBrush = [e.timeBrush[0], e.timeBrush[1]];
  }
  if (folders.hidden.length === 0 && folders.isolated.length === 0 && range === null && timeBrush === null) return null;
  return { folders, range, timeBrush };
}

function checkRange(min: unknown, max: unknown, what: string): void {
  if (typeof min !== 'number' || typeof max !== 'number' || !Number.isFinite(min) || !Number.isFinite(max))
    shareError(`${what} must be finite numbers`);
  if (min > max) shareError(`${what} starts after it ends`);
}

// ───────────────────────────── bytes ─────────────────────────────

const utf8 = new TextEncoder();
const utf8Strict = new TextDecoder('utf-8', { fatal: true });

class Writer {
  private buf = new Uint8Array(256);
  private len = 0;
  private ensure(extra: number): void {
    if (this.len + extra <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.len + extra) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }
  byte(b: number): void {
    this.ensure(1);
    this.buf[this.len++] = b;
  }
  /** Unsigned LEB128, up to 2^32 − 1. */
  varint(v: number): void {
    let x = v >>> 0;
    if (x !== v) throw new RangeError(`varint ${v}`);
    while (x >= 0x80) {
      this.byte((x & 0x7f) | 0x80);
      x >>>= 7;
    }
    this.byte(x);
  }
  f64(v: number): void {
    this.ensure(8);
    new DataView(this.buf.buffer).setFloat64(this.len, v, true);
    this.len += 8;
  }
  string(s: string): void {
    const bytes = utf8.encode(s);
    this.varint(bytes.length);
    this.ensure(bytes.length);
    this.buf.set(bytes, this.len);
    this.len += bytes.length;
  }
  bytes(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

class Reader {
  private at = 0;
  private readonly view: DataView;
  constructor(private readonly buf: Uint8Array) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }
  byte(what: string): number {
    const b = this.buf[this.at];
    if (b === undefined) shareError(`ends early (reading ${what})`);
    this.at++;
    return b;
  }
  /** Canonical unsigned LEB128 ≤ max: at most 5 bytes, no overlong (zero) final byte. */
  varint(what: string, max: number): number {
    let value = 0;
    for (let i = 0; i < 5; i++) {
      const b = this.byte(what);
      value += (b & 0x7f) * 2 ** (7 * i);
      if ((b & 0x80) === 0) {
        if (i > 0 && b === 0) shareError(`${what} is not minimally encoded`);
        if (value > max) shareError(`${what} ${value} is larger than ${max}`);
        return value;
      }
    }
    return shareError(`${what} is longer than 5 bytes`);
  }
  f64(what: string): number {
    const v = this.f64Raw(what);
    if (!Number.isFinite(v)) shareError(`${what} is not a finite number`);
    return v;
  }
  /** Any float64, NaN and Infinity included (the camera is checked as a whole, and dropped rather than refused). */
  f64Raw(what: string): number {
    if (this.at + 8 > this.buf.length) shareError(`ends early (reading ${what})`);
    const v = this.view.getFloat64(this.at, true);
    this.at += 8;
    return v;
  }
  string(what: string, maxBytes: number): string {
    const n = this.varint(`${what} length`, maxBytes);
    if (this.at + n > this.buf.length) shareError(`ends early (reading ${what})`);
    const bytes = this.buf.subarray(this.at, this.at + n);
    this.at += n;
    try {
      return utf8Strict.decode(bytes);
    } catch {
      return shareError(`${what} is not valid UTF-8`);
    }
  }
  get done(): boolean {
    return this.at === this.buf.length;
  }
}

// ───────────────────────────── base64url ─────────────────────────────

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const B64_INDEX = new Int16Array(128).fill(-1);
for (let i = 0; i < B64.length; i++) B64_INDEX[B64.charCodeAt(i)] = i;

/** base64url without padding (RFC 4648 §5). */
export function base64UrlEncode(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += B64[n >> 18]! + B64[(n >> 12) & 63]! + B64[(n >> 6) & 63]! + B64[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    out += B64[n >> 18]! + B64[(n >> 12) & 63]!;
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += B64[n >> 18]! + B64[(n >> 12) & 63]! + B64[(n >> 6) & 63]!;
  }
  return out;
}

/** Strict base64url decode: alphabet only, no padding, no impossible length, unused trailing bits zero. */
export function base64UrlDecode(text: string): Uint8Array {
  const out = new Uint8Array(Math.floor((text.length * 3) / 4));
  let o = 0;
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const v = c < 128 ? B64_INDEX[c]! : -1;
    if (v < 0) shareError(`character ${JSON.stringify(text[i])} is not base64url`);
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  if (text.length % 4 === 1) shareError('base64url text has an impossible length');
  if (bits > 0 && (acc & ((1 << bits) - 1)) !== 0) shareError('base64url text has non-zero padding bits');
  return out.subarray(0, o);
}

// ───────────────────────────── encode / decode ─────────────────────────────

/** Binary payload (before deflate) of a normalised state. Layout in docs/dataset-format.md §Share links. */
function encodePayload(s: ShareState): Uint8Array {
  const w = new Writer();
  w.byte(VERSION_BYTE);
  w.varint(
    (s.layout === 'spherical' ? FLAG_SPHERICAL : 0) |
      (s.layout === 'flat' ? FLAG_FLAT : 0) |
      (s.granularity === 'window' ? FLAG_WINDOW : 0) |
      (s.pinned !== null ? FLAG_PINNED : 0) |
      (s.extras ? FLAG_EXTRAS : 0) |
      (s.camera === null ? FLAG_NO_CAMERA : 0),
  );
  w.string(s.datasetUrl);
  if (s.camera) for (const v of [...s.camera.position, ...s.camera.target, ...s.camera.up, s.camera.fovDeg]) w.f64(v);
  w.string(s.colourMode);
  // Selection as maximal runs of consecutive indices: (gap, length − 1). The first gap counts from 0; later gaps are
  // start − previous end − 2, so runs can never touch or overlap and each selection has exactly one encoding.
  const runs: [number, number][] = [];
  for (const i of s.selection) {
    const last = runs[runs.length - 1];
    if (last && i === last[0] + last[1]) last[1]++;
    else runs.push([i, 1]);
  }
  w.varint(runs.length);
  let prevEnd = -2;
  for (const [start, len] of runs) {
    w.varint(start - prevEnd - 2);
    w.varint(len - 1);
    prevEnd = start + len - 1;
  }
  if (s.pinned !== null) w.varint(s.pinned);
  for (const list of [s.filters.hidden, s.filters.isolated]) {
    w.varint(list.length);
    for (const label of list) w.string(label);
  }
  if (s.extras) {
    for (const list of [s.extras.folders.hidden, s.extras.folders.isolated]) {
      w.varint(list.length);
      for (const folder of list) w.string(folder);
    }
    w.byte(s.extras.range ? 1 : 0);
    if (s.extras.range) {
      w.string(s.extras.range.mode);
      w.f64(s.extras.range.min);
      w.f64(s.extras.range.max);
    }
    w.byte(s.extras.timeBrush ? 1 : 0);
    if (s.extras.timeBrush) {
      w.f64(s.extras.timeBrush[0]);
      w.f64(s.extras.timeBrush[1]);
    }
  }
  return w.bytes();
}

function decodePayload(bytes: Uint8Array, notes: string[]): ShareState {
  const r = new Reader(bytes);
  const version = r.byte('version');
  if (version !== VERSION_BYTE) shareError(`payload version ${version} is not ${VERSION_BYTE}`);
  const flags = r.varint('flags', KNOWN_FLAGS);
  if (flags & FLAG_SPHERICAL && flags & FLAG_FLAT) shareError('layout is both spherical and 2D');
  const datasetUrl = r.string('dataset URL', SHARE_LIMITS.urlBytes);
  const reason = unsafeUrlReason(datasetUrl);
  if (reason !== null) shareError(`dataset URL: ${reason}`);
  let camera: ShareCamera | null = null;
  if (!(flags & FLAG_NO_CAMERA)) {
    const c: number[] = [];
    for (let i = 0; i < 10; i++) c.push(r.f64Raw('camera'));
    const read: ShareCamera = {
      position: [c[0]!, c[1]!, c[2]!],
      target: [c[3]!, c[4]!, c[5]!],
      up: [c[6]!, c[7]!, c[8]!],
      fovDeg: c[9]!,
    };
    // A camera that cannot be shown (NaN, 1e300, eye on its target, fov 1e-300) would blank the map: drop just it, say so.
    const problem = cameraProblem(read);
    if (problem === null) camera = read;
    else notes.push(`${CAMERA_DROPPED_NOTE}: ${problem}`);
  }
  const colourMode = r.string('colour mode', SHARE_LIMITS.colourModeChars);
  if (!COLOUR_MODE.test(colourMode)) shareError('colour mode has characters outside A–Z a–z 0–9 _ . : -');
  const runCount = r.varint('selection run count', SHARE_LIMITS.selection);
  const selection: number[] = [];
  let prevEnd = -2;
  for (let k = 0; k < runCount; k++) {
    const start = prevEnd + 2 + r.varint('selection gap', SHARE_LIMITS.pointIndex);
    const len = r.varint('selection run length', SHARE_LIMITS.selection - 1) + 1;
    const end = start + len - 1;
    if (end > SHARE_LIMITS.pointIndex) shareError(`selected point ${end} is larger than ${SHARE_LIMITS.pointIndex}`);
    if (selection.length + len > SHARE_LIMITS.selection)
      shareError(`selection has more than ${SHARE_LIMITS.selection} points`);
    for (let i = start; i <= end; i++) selection.push(i);
    prevEnd = end;
  }
  const pinned = flags & FLAG_PINNED ? r.varint('pinned point', SHARE_LIMITS.pointIndex) : null;
  const readList = (what: string): string[] => {
    const n = r.varint(`${what} count`, SHARE_LIMITS.filterLabels);
    const list: string[] = [];
    for (let k = 0; k < n; k++) {
      const label = r.string(what, SHARE_LIMITS.labelBytes);
      const prev = list[list.length - 1];
      if (prev !== undefined && compareStrings(prev, label) >= 0) shareError(`${what} are not sorted and unique`);
      list.push(label);
    }
    return list;
  };
  const lists = [readList('hidden labels'), readList('isolated labels')];
  let extras: ShareExtras | null = null;
  if (flags & FLAG_EXTRAS) {
    const folders = { hidden: readList('hidden folders'), isolated: readList('isolated folders') };
    const present = (what: string): boolean => {
      const b = r.byte(what);
      if (b > 1) shareError(`${what} marker ${b} is not 0 or 1`);
      return b === 1;
    };
    let range: ShareExtras['range'] = null;
    if (present('range filter')) {
      const mode = r.string('range filter mode', SHARE_LIMITS.colourModeChars);
      if (!COLOUR_MODE.test(mode)) shareError('range filter mode has characters outside A–Z a–z 0–9 _ . : -');
      const min = r.f64('range filter minimum');
      const max = r.f64('range filter maximum');
      checkRange(min, max, 'range filter');
      range = { mode, min, max };
    }
    let timeBrush: ShareExtras['timeBrush'] = null;
    if (present('time brush')) {
      const t0 = r.f64('time brush start');
      const t1 = r.f64('time brush end');
      checkRange(t0, t1, 'time brush');
      timeBrush = [t0, t1];
    }
    if (folders.hidden.length === 0 && folders.isolated.length === 0 && range === null && timeBrush === null)
      shareError('has an empty extras block');
    extras = { folders, range, timeBrush };
  }
  if (!r.done) shareError('has bytes after the end of the state');
  return {
    v: 1,
    datasetUrl,
    camera,
    colourMode,
    selection,
    pinned,
    filters: { hidden: lists[0]!, isolated: lists[1]! },
    layout: flags & FLAG_SPHERICAL ? 'spherical' : flags & FLAG_FLAT ? 'flat' : 'cartesian',
    granularity: flags & FLAG_WINDOW ? 'window' : 'file',
    ...(extras ? { extras } : {}),
  };
}

/** "s1.<base64url>" (no "#"). Throws E_SHARE_LINK when the state is invalid or the link would exceed the hash cap. */
export function encodeShareLink(state: ShareState): string {
  const payload = encodePayload(normalizeShareState(state));
  const text = SHARE_LINK_PREFIX + base64UrlEncode(deflateSync(payload, { level: 9 }));
  if (text.length + 1 > SHARE_LIMITS.hashChars)
    shareError(
      `the view is too large to share (${text.length} characters; the limit is ${SHARE_LIMITS.hashChars}); select fewer points`,
    );
  return text;
}

/** "#s1.<base64url>", ready for location.hash. */
export function shareLinkHash(state: ShareState): string {
  return `#${encodeShareLink(state)}`;
}

/** True when a hash is meant for this codec (any version), so the app can tell "not a share link" from "bad link". */
export function isShareLinkHash(hash: string): boolean {
  return /^#?s\d+\./.test(hash);
}

/** Start of the note when a link's camera was dropped (the reason follows). */
export const CAMERA_DROPPED_NOTE = "the link's camera was left out and the map is shown with its default view, because";

/**
 * Decodes "#s1.…" or "s1.…". Exact grammar: the prefix, then base64url only; the inflated payload must parse to the
 * last byte. Throws EarshotError('E_SHARE_LINK') with the reason on anything else. A camera that cannot be shown is
 * not an error: it decodes as null (see decodeShareLinkWithNotes for why).
 */
export function decodeShareLink(hash: string): ShareState {
  return decodeShareLinkWithNotes(hash).state;
}

/** decodeShareLink, plus what was left out and why (for the person: "the link's camera was left out … because …"). */
export function decodeShareLinkWithNotes(hash: string): { state: ShareState; notes: string[] } {
  if (typeof hash !== 'string') shareError('not a string');
  if (hash.length > SHARE_LIMITS.hashChars)
    shareError(`is ${hash.length} characters, more than the limit of ${SHARE_LIMITS.hashChars}`);
  const text = hash.startsWith('#') ? hash.slice(1) : hash;
  const version = /^s(\d+)\./.exec(text);
  if (!version) shareError('does not start with "s1."');
  if (version[1] !== '1') shareError(`version s${version[1]} is not supported by this app (it reads s1)`);
  const body = text.slice(SHARE_LINK_PREFIX.length);
  if (body.length === 0) shareError('is empty after "s1."');
  const compressed = base64UrlDecode(body);
  let payload: Uint8Array;
  try {
    payload = inflateSync(compressed, { out: new Uint8Array(SHARE_LIMITS.payloadBytes + 1) });
  } catch (err) {
    return shareError(`is damaged (${err instanceof Error ? err.message : String(err)})`);
  }
  if (payload.length > SHARE_LIMITS.payloadBytes)
    shareError(`inflates to more than ${SHARE_LIMITS.payloadBytes} bytes`);
  const notes: string[] = [];
  const state = decodePayload(payload, notes);
  return { state, notes };
}

export type ShareDecodeResult = { ok: true; state: ShareState; notes: string[] } | { ok: false; error: string };

/** decodeShareLinkWithNotes without throwing; other exceptions (bugs) still propagate. */
export function tryDecodeShareLink(hash: string): ShareDecodeResult {
  try {
    return { ok: true, ...decodeShareLinkWithNotes(hash) };
  } catch (err) {
    if (err instanceof EarshotError && err.code === 'E_SHARE_LINK') return { ok: false, error: err.message };
    throw err;
  }
}
