// Unit tests for the share-link codec: exact round trip (property-based), compactness, caps, URL safety and strict grammar; Node only, no DOM.
import fc from 'fast-check';
import { deflateSync, inflateSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { codeOf } from '../lib/testErrors.ts';
import { createRng } from '../lib/prng.ts';
import {
  CAMERA_DROPPED_NOTE,
  SHARE_LIMITS,
  base64UrlDecode,
  base64UrlEncode,
  decodeShareLink,
  decodeShareLinkWithNotes,
  encodeShareLink,
  isShareLinkHash,
  normalizeShareState,
  shareLinkHash,
  tryDecodeShareLink,
} from './shareLink.ts';
import type { ShareCamera, ShareState } from './shareLink.ts';
import { CAMERA_LIMITS, cameraProblem } from './shareCamera.ts';

function base(): ShareState {
  return {
    v: 1,
    datasetUrl: 'https://maps.example/esc50/earshot-dataset.json',
    camera: { position: [1.5, -2.25, 30.125], target: [0, 0, 0], up: [0, 1, 0], fovDeg: 50 },
    colourMode: 'label',
    selection: [3, 4, 5, 10, 1000],
    pinned: 4,
    filters: { hidden: ['rain', 'crow'], isolated: [] },
    layout: 'spherical',
    granularity: 'window',
  };
}

/** Re-wraps a modified payload as a link, to test the decoder past the compression layer. */
function relink(hash: string, edit: (payload: Uint8Array) => Uint8Array): string {
  const payload = inflateSync(base64UrlDecode(hash.replace(/^#?s1\./, '')));
  return `s1.${base64UrlEncode(deflateSync(edit(payload.slice())))}`;
}

const finite = fc.double({ noNaN: true, noDefaultInfinity: true });
const coord = fc.double({ min: -CAMERA_LIMITS.coordAbs, max: CAMERA_LIMITS.coordAbs, noNaN: true });
const vec3 = fc.tuple(coord, coord, coord);
/** Cameras the app can show (the codec refuses to encode others), or none. */
const cameraArb: fc.Arbitrary<ShareCamera | null> = fc.option(
  fc
    .record({
      position: vec3,
      target: vec3,
      up: vec3,
      fovDeg: fc.double({ min: CAMERA_LIMITS.minFovDeg, max: CAMERA_LIMITS.maxFovDeg, noNaN: true }),
    })
    .filter((c) => cameraProblem(c) === null),
  { nil: null, freq: 8 },
);
const label = fc.string({ unit: 'grapheme', maxLength: 20 });
const sortedLabels = fc.uniqueArray(label, { maxLength: 4 }).map((a) => a.sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)));
const orderedPair = fc.tuple(finite, finite).map(([a, b]): [number, number] => (a <= b ? [a, b] : [b, a]));
/** Non-empty extras (an empty block is never encoded: normalisation drops it). */
const extrasArb = fc
  .record({
    folders: fc.record({ hidden: sortedLabels, isolated: sortedLabels }),
    range: fc.option(
      fc
        .tuple(fc.stringMatching(/^[A-Za-z0-9_.:-]{1,64}$/), orderedPair)
        .map(([mode, [min, max]]) => ({ mode, min, max })),
      { nil: null },
    ),
    timeBrush: fc.option(orderedPair, { nil: null }),
  })
  .filter((e) => e.folders.hidden.length + e.folders.isolated.length > 0 || e.range !== null || e.timeBrush !== null);
const coreArb = fc.record({
  v: fc.constant(1 as const),
  datasetUrl: fc.oneof(
    fc.webUrl({ validSchemes: ['http', 'https'], withQueryParameters: true, withFragments: true }),
    fc.constantFrom('data/x.json', '/maps/a/earshot-dataset.json', './m.json', '../up/m.json'),
  ),
  camera: cameraArb,
  colourMode: fc.stringMatching(/^[A-Za-z0-9_.:-]{1,64}$/),
  selection: fc.uniqueArray(fc.nat({ max: 2_000_000 }), { maxLength: 300 }).map((a) => a.sort((x, y) => x - y)),
  pinned: fc.option(fc.nat({ max: SHARE_LIMITS.pointIndex }), { nil: null }),
  filters: fc.record({
    hidden: fc.uniqueArray(label, { maxLength: 8 }).map((a) => a.sort((x, y) => (x < y ? -1 : x > y ? 1 : 0))),
    isolated: fc.uniqueArray(label, { maxLength: 8 }).map((a) => a.sort((x, y) => (x < y ? -1 : x > y ? 1 : 0))),
  }),
  layout: fc.constantFrom('cartesian' as const, 'spherical' as const, 'flat' as const),
  granularity: fc.constantFrom('file' as const, 'window' as const),
});
const stateArb: fc.Arbitrary<ShareState> = fc
  .tuple(coreArb, fc.option(extrasArb, { nil: null }))
  .map(([core, extras]) => (extras ? { ...core, extras } : core));

describe('share link round trip', () => {
  it('decode(encode(x)) == x exactly, camera floats bit for bit (property)', () => {
    fc.assert(
      fc.property(stateArb, (state) => {
        const link = shareLinkHash(state);
        expect(link.startsWith('#s1.')).toBe(true);
        const back = decodeShareLink(link);
        expect(back).toEqual(state);
        const flat = (c: ShareCamera | null): number[] => (c ? [...c.position, ...c.target, ...c.up, c.fovDeg] : []);
        const got = flat(back.camera);
        flat(state.camera).forEach((v, i) => expect(Object.is(got[i], v)).toBe(true));
      }),
      { numRuns: 300 },
    );
  });

  it('normalises selection and filters (sort, dedupe) and the result round-trips', () => {
    const s = { ...base(), selection: [9, 1, 9, 2], filters: { hidden: ['b', 'a', 'b'], isolated: ['z'] } };
    const n = normalizeShareState(s);
    expect(n.selection).toEqual([1, 2, 9]);
    expect(n.filters.hidden).toEqual(['a', 'b']);
    expect(decodeShareLink(encodeShareLink(s))).toEqual(n);
  });

  it('carries folder filters, a range filter and a time brush; an empty extras block is left out', () => {
    const s: ShareState = {
      ...base(),
      extras: {
        folders: { hidden: ['b/c', 'a'], isolated: [] },
        range: { mode: 'descriptor:centroid_hz', min: 900, max: 1100.5 },
        timeBrush: [1.7e12, 1.7e12 + 60_000],
      },
    };
    const back = decodeShareLink(encodeShareLink(s));
    expect(back.extras).toEqual({
      folders: { hidden: ['a', 'b/c'], isolated: [] },
      range: { mode: 'descriptor:centroid_hz', min: 900, max: 1100.5 },
      timeBrush: [1.7e12, 1.7e12 + 60_000],
    });
    const empty: ShareState = {
      ...base(),
      extras: { folders: { hidden: [], isolated: [] }, range: null, timeBrush: null },
    };
    expect(encodeShareLink(empty)).toBe(encodeShareLink(base()));
    expect('extras' in decodeShareLink(encodeShareLink(empty))).toBe(false);
    expect(
      codeOf(() =>
        encodeShareLink({
          ...base(),
          extras: { folders: { hidden: [], isolated: [] }, range: { mode: 'x', min: 2, max: 1 }, timeBrush: null },
        }),
      ),
    ).toMatch(/range filter starts after it ends/);
    expect(
      codeOf(() =>
        encodeShareLink({
          ...base(),
          extras: { folders: { hidden: [], isolated: [] }, range: null, timeBrush: [0, Infinity] },
        }),
      ),
    ).toMatch(/time brush must be finite/);
  });

  it('keeps -0, subnormals and large in-range values exact', () => {
    const s = base();
    s.camera = {
      position: [-0, 5e-324, 987654321.125],
      target: [0.1, 1 / 3, -1e-300],
      up: [0, 1e-5, 1],
      fovDeg: 1.0000000000000002,
    };
    const back = decodeShareLink(encodeShareLink(s));
    expect(Object.is(back.camera?.position[0], -0)).toBe(true);
    expect(back.camera).toEqual(s.camera);
  });

  it('carries "no camera" (default framing) in a flag, without camera bytes', () => {
    const s: ShareState = { ...base(), camera: null };
    const link = encodeShareLink(s);
    expect(decodeShareLinkWithNotes(link)).toEqual({ state: normalizeShareState(s), notes: [] });
    const payload = (l: string): Uint8Array => inflateSync(base64UrlDecode(l.slice(3)));
    expect(payload(encodeShareLink(base())).length - payload(link).length).toBe(80);
  });

  it('encodes a large contiguous selection in a few bytes', () => {
    const s = { ...base(), selection: Array.from({ length: 100_000 }, (_, i) => i + 500) };
    const link = encodeShareLink(s);
    expect(link.length).toBeLessThan(200);
    expect(decodeShareLink(link).selection).toHaveLength(100_000);
  });

  it('refuses to make a link longer than the hash cap', () => {
    const rng = createRng(7);
    let at = 0;
    const s = { ...base(), selection: Array.from({ length: 100_000 }, () => (at += 2 + Math.floor(rng() * 500))) };
    expect(codeOf(() => encodeShareLink(s))).toMatch(/^E_SHARE_LINK: share link: the view is too large to share/);
  });
});

describe('share link rejection', () => {
  it('rejects unsafe dataset URLs on encode and on decode', () => {
    for (const url of [
      'javascript:alert(1)',
      'data:application/json,{}',
      'file:///etc/passwd',
      'blob:https://a/1',
      'java\tscript:alert(1)',
      '',
    ]) {
      expect(
        codeOf(() => encodeShareLink({ ...base(), datasetUrl: url })),
        url,
      ).toMatch(/^E_SHARE_LINK: share link: dataset URL/);
    }
    // Forge a payload carrying javascript: (same length as the real URL so only the bytes change).
    const good = encodeShareLink(base());
    const real = base().datasetUrl;
    const evil = `javascript:alert(1)//${'x'.repeat(real.length - 21)}`;
    expect(evil.length).toBe(real.length);
    const forged = relink(good, (p) => {
      const at = new TextDecoder().decode(p).indexOf(real);
      p.set(new TextEncoder().encode(evil), at);
      return p;
    });
    expect(codeOf(() => decodeShareLink(forged))).toMatch(/dataset URL: URL scheme "javascript:" is not allowed/);
  });

  it('refuses to encode a camera it could not show', () => {
    const cam = base().camera!;
    expect(codeOf(() => encodeShareLink({ ...base(), camera: { ...cam, position: [NaN, 0, 0] } }))).toMatch(/finite/);
    expect(codeOf(() => encodeShareLink({ ...base(), camera: { ...cam, fovDeg: 180 } }))).toMatch(
      /camera cannot be shared: its field of view 180° is outside 1–179°/,
    );
    expect(codeOf(() => encodeShareLink({ ...base(), camera: { ...cam, position: [1e300, 0, 0] } }))).toMatch(
      /camera cannot be shared: its position coordinate 1e\+300 is beyond/,
    );
    expect(
      codeOf(() => encodeShareLink({ ...base(), camera: { ...cam, position: [2, 2, 2], target: [2, 2, 2] } })),
    ).toMatch(/position equals its target/);
  });

  it('drops an unusable camera on decode (default framing), keeps the rest of the link and says why', () => {
    const good = encodeShareLink(base());
    const urlLen = new TextEncoder().encode(base().datasetUrl).length;
    const cameraAt = 1 + 1 + 1 + urlLen; // version, flags, url length varint, url
    /** The link with camera float k (0–2 position, 3–5 target, 6–8 up, 9 fov) overwritten. */
    const forge = (edits: [number, number][]): string =>
      relink(good, (p) => {
        for (const [k, v] of edits) new DataView(p.buffer).setFloat64(cameraAt + 8 * k, v, true);
        return p;
      });
    const cases: [string, [number, number][], RegExp][] = [
      [
        'camera at 1e300',
        [
          [0, 1e300],
          [1, -1e300],
          [2, 1e300],
        ],
        /position coordinate 1e\+300 is beyond ±1000000000/,
      ],
      [
        'position equals target',
        [
          [0, 0],
          [1, 0],
          [2, 0],
        ],
        /position equals its target/,
      ],
      ['fov 1e-300', [[9, 1e-300]], /field of view 1e-300° is outside 1–179°/],
      ['fov 180', [[9, 180]], /field of view 180° is outside/],
      ['Infinity', [[1, Infinity]], /not finite \(Infinity\)/],
      ['NaN', [[4, NaN]], /not finite \(NaN\)/],
      [
        'zero up',
        [
          [6, 0],
          [7, 0],
          [8, 0],
        ],
        /up vector has length 0/,
      ],
      [
        'up along the view',
        [
          [0, 0],
          [1, 0],
          [2, 5],
          [6, 0],
          [7, 0],
          [8, 1],
        ],
        /up vector is parallel to the view direction/,
      ],
    ];
    for (const [what, edits, reason] of cases) {
      const { state, notes } = decodeShareLinkWithNotes(forge(edits));
      expect(state.camera, what).toBeNull();
      expect({ ...state, camera: base().camera }, what).toEqual(normalizeShareState(base()));
      expect(notes, what).toHaveLength(1);
      expect(notes[0], what).toMatch(reason);
      expect(notes[0]!.startsWith(CAMERA_DROPPED_NOTE), what).toBe(true);
      // What decodes re-encodes (without a camera).
      expect(decodeShareLink(encodeShareLink(state)).camera).toBeNull();
    }
    expect(decodeShareLinkWithNotes(good).notes).toEqual([]);
  });

  it('enforces the exact grammar', () => {
    const good = encodeShareLink(base());
    expect(codeOf(() => decodeShareLink(relink(good, (p) => Uint8Array.from([...p, 0]))))).toMatch(
      /bytes after the end/,
    );
    expect(codeOf(() => decodeShareLink(relink(good, (p) => p.subarray(0, p.length - 1))))).toMatch(/ends early/);
    expect(codeOf(() => decodeShareLink(relink(good, (p) => Uint8Array.from([2, ...p.subarray(1)]))))).toMatch(
      /payload version 2/,
    );
    expect(codeOf(() => decodeShareLink(relink(good, (p) => Uint8Array.from([1, 64, ...p.subarray(2)]))))).toMatch(
      /flags 64 is larger than 63/,
    );
    // Spherical and 2D at once is no layout.
    expect(
      codeOf(() => decodeShareLink(relink(good, (p) => Uint8Array.from([1, p[1]! | 33, ...p.subarray(2)])))),
    ).toMatch(/both spherical and 2D/);
    const flat = encodeShareLink({ ...base(), layout: 'flat' });
    expect(decodeShareLink(flat).layout).toBe('flat');
    expect(codeOf(() => decodeShareLink(`${good}=`))).toMatch(/not base64url/);
    expect(codeOf(() => decodeShareLink(`${good.slice(0, 3)}+${good.slice(4)}`))).toMatch(/not base64url/);
    expect(codeOf(() => decodeShareLink('s2.AAAA'))).toMatch(/version s2 is not supported/);
    expect(codeOf(() => decodeShareLink('x1.AAAA'))).toMatch(/does not start with "s1."/);
    expect(codeOf(() => decodeShareLink('s1.'))).toMatch(/empty/);
    expect(codeOf(() => decodeShareLink('s1.A'))).toMatch(/impossible length/);
    expect(codeOf(() => decodeShareLink('s1.AB'))).toMatch(/non-zero padding bits/);
    expect(codeOf(() => decodeShareLink(`s1.${'A'.repeat(SHARE_LIMITS.hashChars)}`))).toMatch(
      /more than the limit of 65536/,
    );
    expect(codeOf(() => decodeShareLink(good.slice(0, -6)))).toMatch(/^E_SHARE_LINK/);
  });

  it('rejects overlong varints and unsorted labels', () => {
    // Flags as a two-byte varint 0x81 0x00 (= 1, not minimal).
    const good = encodeShareLink({ ...base(), layout: 'spherical', granularity: 'file', pinned: null });
    expect(
      codeOf(() => decodeShareLink(relink(good, (p) => Uint8Array.from([1, 0x81, 0x00, ...p.subarray(2)])))),
    ).toMatch(/not minimally encoded/);
    const s = { ...base(), filters: { hidden: ['a', 'b'], isolated: [] } };
    const swapped = relink(encodeShareLink(s), (p) => {
      // The last bytes are: 2, 1, 'a', 1, 'b', 0 → swap the two labels.
      const n = p.length;
      p[n - 4] = 0x62;
      p[n - 2] = 0x61;
      return p;
    });
    expect(codeOf(() => decodeShareLink(swapped))).toMatch(/hidden labels are not sorted and unique/);
  });

  it('bounds a deflate bomb', () => {
    const bomb = `s1.${base64UrlEncode(deflateSync(new Uint8Array(SHARE_LIMITS.payloadBytes + 10)))}`;
    expect(bomb.length).toBeLessThan(SHARE_LIMITS.hashChars);
    expect(codeOf(() => decodeShareLink(bomb))).toMatch(/inflates to more than/);
  });

  it('never throws anything but E_SHARE_LINK on arbitrary or mutated input (property)', () => {
    const good = encodeShareLink(base());
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 200 }),
          fc
            .tuple(fc.nat({ max: good.length - 1 }), fc.constantFrom(...'AZaz09-_'))
            .map(([i, c]) => good.slice(0, i) + c + good.slice(i + 1)),
        ),
        (text) => {
          const r = tryDecodeShareLink(text);
          if (r.ok) expect(() => encodeShareLink(r.state)).not.toThrow();
          else expect(r.error).toMatch(/^share link: /);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('isShareLinkHash tells share links from other hashes', () => {
    expect(isShareLinkHash('#s1.abc')).toBe(true);
    expect(isShareLinkHash('#s9.abc')).toBe(true);
    expect(isShareLinkHash('#about')).toBe(false);
  });
});
