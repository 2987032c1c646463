// Hostile dataset fixtures for the security specs: HTML/script in labels and names, __proto__/constructor keys, enormous arrays, NaN/Infinity/1e308 positions, wrong-length columns, a sprite claiming 100000×100000 px, share links to javascript:/data:/file: URLs; Node only, writes files and builds strings, never runs them.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync, inflateSync } from 'fflate';
import { base64UrlDecode, base64UrlEncode, encodeShareLink } from '../../src/share/shareLink.ts';
import type { ShareState } from '../../src/share/shareLink.ts';
import { writeNativeFixture, writeScatterFixture } from './datasetFixtures.ts';

/** Payloads that would set window.__pwned or open a dialog if any of them ever ran as HTML or script. */
export const XSS_LABELS = [
  '<img src=x onerror="window.__pwned=1;alert(1)">',
  '<script>window.__pwned=2;alert(2)</script>',
  '"><svg onload="window.__pwned=3">',
  'engine',
] as const;
export const XSS_PATHS = [
  '<img src=x onerror="window.__pwned=4">.wav',
  'a/<script>window.__pwned=5</script>.wav',
  'javascript:alert(6).wav',
  'ok/plain.wav',
] as const;
export const XSS_NAME = '<script>window.__pwned=7;alert(7)</script>';

export interface HostileDatasetCase {
  id: string;
  /** Path of the entry file under the fixture root. */
  entry: string;
  /** 'opens': the map opens with `points` points; otherwise the error text must match. */
  expect: { opens: true; points: number; thumbError?: RegExp } | { opens: false; error: RegExp };
}

const NATIVE = 'earshot-dataset.json';
const POINTS = 20;

type Json = Record<string, unknown>;
const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
const readJson = (p: string): Json => JSON.parse(readFileSync(p, 'utf8')) as Json;

function native(root: string, id: string, sprites = false): string {
  const dir = join(root, id);
  writeNativeFixture(dir, { points: POINTS, files: 4, audioFiles: 1, sprites });
  return dir;
}

/** Rewrites a column file and its manifest spec (bytes, length, sha256, shape). */
function rewriteColumn(dir: string, group: 'points' | 'files', key: string, bytes: Uint8Array, shape?: number[]): void {
  const manifest = readJson(join(dir, NATIVE));
  const spec = (manifest[group] as Json)[key] as Json;
  writeFileSync(join(dir, spec['path'] as string), bytes);
  spec['byteLength'] = bytes.length;
  spec['sha256'] = sha(bytes);
  if (shape) spec['shape'] = shape;
  writeFileSync(join(dir, NATIVE), JSON.stringify(manifest));
}

export function writeHostileDatasets(root: string): HostileDatasetCase[] {
  mkdirSync(root, { recursive: true });
  const cases: HostileDatasetCase[] = [];

  // HTML and script in labels, file paths and the dataset's name: must show as text.
  {
    const dir = native(root, 'xss');
    const m = readJson(join(dir, NATIVE));
    ((m['points'] as Json)['labels'] as Json)['values'] = [...XSS_LABELS];
    ((m['files'] as Json)['paths'] as Json)['values'] = [...XSS_PATHS];
    m['name'] = XSS_NAME;
    m['description'] = '<iframe src="javascript:alert(8)"></iframe>';
    writeFileSync(join(dir, NATIVE), JSON.stringify(m));
    cases.push({ id: 'xss-native-labels-paths-name', entry: `xss/${NATIVE}`, expect: { opens: true, points: POINTS } });
  }
  // The same in a scatter-sounds dataset's label names and file names.
  {
    writeScatterFixture(join(root, 'xss-scatter'), 'x', 'clips', 8);
    const p = join(root, 'xss-scatter', 'data', 'x_projections.json');
    const j = readJson(p);
    const meta = j['metadata'] as Json;
    meta['labelnames'] = (meta['labelnames'] as string[]).map((_, i) => XSS_LABELS[i % XSS_LABELS.length]!);
    meta['filenames'] = (meta['filenames'] as string[]).map((_, i) => XSS_PATHS[i % XSS_PATHS.length]!);
    writeFileSync(p, JSON.stringify(j));
    cases.push({
      id: 'xss-scatter-labelnames',
      entry: 'xss-scatter/data/x_config.json',
      expect: { opens: true, points: 8 },
    });
  }
  // __proto__ / constructor / prototype keys everywhere a parser might walk: ignored, nothing polluted.
  {
    const dir = native(root, 'proto');
    const poison =
      '"__proto__": {"polluted": "yes"}, "constructor": {"prototype": {"polluted": "yes"}}, "prototype": {"polluted": "yes"}, ';
    let text = readFileSync(join(dir, NATIVE), 'utf8');
    text = text
      .replace(/^\{/, `{${poison}`)
      .replace('"points": {', `"points": {${poison}`)
      .replace('"positions": {', `"positions": {${poison}`)
      .replace('"labels": {', `"labels": {${poison}`);
    writeFileSync(join(dir, NATIVE), text);
    cases.push({ id: 'proto-keys-native', entry: `proto/${NATIVE}`, expect: { opens: true, points: POINTS } });

    writeScatterFixture(join(root, 'proto-scatter'), 'p', 'clips', 8);
    const cfg = join(root, 'proto-scatter', 'data', 'p_config.json');
    writeFileSync(cfg, readFileSync(cfg, 'utf8').replace(/^\{/, `{${poison}`));
    const proj = join(root, 'proto-scatter', 'data', 'p_projections.json');
    writeFileSync(
      proj,
      readFileSync(proj, 'utf8')
        .replace(/^\{/, `{${poison}`)
        .replace('"metadata":{', `"metadata":{${poison.replace(/ /g, '').replace('{"polluted":"yes"}', '["yes"]')}`),
    );
    cases.push({
      id: 'proto-keys-scatter',
      entry: 'proto-scatter/data/p_config.json',
      expect: { opens: true, points: 8 },
    });
  }
  // Enormous counts and arrays: refused by the caps with the numbers in the message.
  {
    const dir = native(root, 'huge-count');
    const m = readJson(join(dir, NATIVE));
    m['pointCount'] = 50_000_000;
    writeFileSync(join(dir, NATIVE), JSON.stringify(m));
    cases.push({
      id: 'enormous-point-count',
      entry: `huge-count/${NATIVE}`,
      expect: { opens: false, error: /50000000.*(limit|2000000)|limit.*50000000/ },
    });

    writeScatterFixture(join(root, 'huge-array'), 'h', 'clips', 4);
    const n = 300_001;
    writeFileSync(
      join(root, 'huge-array', 'data', 'h_projections.json'),
      `{"projections":[${'[0,0,0],'.repeat(n - 1)}[0,0,0]]}`,
    );
    cases.push({
      id: 'enormous-projections-array',
      entry: 'huge-array/data/h_config.json',
      expect: { opens: false, error: /300001 points is more than the limit of 300000/ },
    });

    const lab = native(root, 'huge-labels');
    const ml = readJson(join(lab, NATIVE));
    ((ml['points'] as Json)['labels'] as Json)['values'] = Array.from({ length: 5000 }, (_, i) => `l${i}`);
    writeFileSync(join(lab, NATIVE), JSON.stringify(ml));
    cases.push({
      id: 'enormous-inline-label-table',
      entry: `huge-labels/${NATIVE}`,
      expect: { opens: false, error: /5000 entries, more than the limit of 4096/ },
    });
  }
  // NaN and Infinity positions: rejected, naming the point (a map cannot place them and a repair would invent data).
  {
    for (const [id, value, point] of [
      ['nan', NaN, 7],
      ['inf', Infinity, 3],
    ] as const) {
      const dir = native(root, `positions-${id}`);
      const m = readJson(join(dir, NATIVE));
      const spec = (m['points'] as Json)['positions'] as Json;
      const pos = new Float32Array(new Uint8Array(readFileSync(join(dir, spec['path'] as string))).buffer);
      pos[point * 3 + 1] = value;
      rewriteColumn(dir, 'points', 'positions', new Uint8Array(pos.buffer));
      cases.push({
        id: `positions-${id}`,
        entry: `positions-${id}/${NATIVE}`,
        expect: {
          opens: false,
          error: new RegExp(`positions\\.f32: row ${point}, column y is (NaN|Infinity), not a finite number`),
        },
      });
    }
    writeScatterFixture(join(root, 'nan-scatter'), 'n', 'clips', 8);
    const p = join(root, 'nan-scatter', 'data', 'n_projections.json');
    const j = readJson(p);
    (j['projections'] as number[][])[2] = [0, 0, 0];
    writeFileSync(p, JSON.stringify(j).replace('[0,0,0]', '[NaN,0,Infinity]'));
    cases.push({
      id: 'positions-nan-scatter',
      entry: 'nan-scatter/data/n_config.json',
      expect: { opens: false, error: /projections\[2\]\[0\] is not a finite number/ },
    });
    // 1e308: a finite double, Infinity once stored as float32 — refused, naming the file, row and column.
    writeScatterFixture(join(root, 'far-scatter'), 'f', 'clips', 8);
    const fp = join(root, 'far-scatter', 'data', 'f_projections.json');
    const fj = readJson(fp);
    (fj['projections'] as number[][])[4] = [0, 1e308, 0];
    writeFileSync(fp, JSON.stringify(fj));
    cases.push({
      id: 'positions-1e308-scatter',
      entry: 'far-scatter/data/f_config.json',
      expect: {
        opens: false,
        error: /f_projections\.json: projections\[4\]\[1\] \(row 4, column y\) = 1e\+308 is outside the float32 range/,
      },
    });
  }
  // Arrays of the wrong length: a column that does not match pointCount; a projections list that is not 3-D.
  {
    const dir = native(root, 'wrong-length');
    const fi = new Uint32Array(POINTS - 1);
    rewriteColumn(dir, 'points', 'fileIndex', new Uint8Array(fi.buffer), [POINTS - 1]);
    cases.push({
      id: 'wrong-length-column',
      entry: `wrong-length/${NATIVE}`,
      expect: { opens: false, error: /fileIndex|file-index/ },
    });

    writeScatterFixture(join(root, 'wrong-dim'), 'w', 'clips', 8);
    const p = join(root, 'wrong-dim', 'data', 'w_projections.json');
    const j = readJson(p);
    (j['projections'] as number[][])[5] = [1, 2, 3, 4];
    writeFileSync(p, JSON.stringify(j));
    cases.push({
      id: 'wrong-length-xyz',
      entry: 'wrong-dim/data/w_config.json',
      expect: { opens: false, error: /projections\[5\] must be \[x, y, z\]/ },
    });
  }
  // A sprite page whose PNG header claims 100000×100000 px (checksum right): the map opens, the page is refused undecoded.
  {
    const dir = native(root, 'sprite-huge', true);
    const m = readJson(join(dir, NATIVE));
    const page = ((m['sprites'] as Json)['pages'] as Json[])[0]!;
    const png = new Uint8Array(readFileSync(join(dir, page['path'] as string)));
    new DataView(png.buffer, png.byteOffset).setUint32(16, 100_000);
    new DataView(png.buffer, png.byteOffset).setUint32(20, 100_000);
    writeFileSync(join(dir, page['path'] as string), png);
    page['sha256'] = sha(png);
    writeFileSync(join(dir, NATIVE), JSON.stringify(m));
    cases.push({
      id: 'sprite-100000x100000',
      entry: `sprite-huge/${NATIVE}`,
      expect: { opens: true, points: POINTS, thumbError: /claims to be 100000×100000 px, over the limit/ },
    });
  }
  return cases;
}

const BASE_STATE: ShareState = {
  v: 1,
  datasetUrl: '',
  camera: { position: [0, 0, 10], target: [0, 0, 0], up: [0, 1, 0], fovDeg: 50 },
  colourMode: 'label',
  selection: [],
  pinned: null,
  filters: { hidden: [], isolated: [] },
  layout: 'cartesian',
  granularity: 'file',
};

/**
 * A share-link hash whose dataset URL is `url`, even one the encoder refuses: encodes a same-length http URL, then swaps
 * the bytes inside the deflated payload (the codec stores the URL as UTF-8 text).
 */
export function forgedShareHash(url: string): string {
  const placeholder = `http://a/${'a'.repeat(Math.max(0, url.length - 9))}`;
  const text = encodeShareLink({ ...BASE_STATE, datasetUrl: placeholder });
  const payload = inflateSync(base64UrlDecode(text.slice('s1.'.length)));
  const enc = new TextEncoder();
  const needle = enc.encode(placeholder);
  const at = payload.findIndex((_, i) => needle.every((b, k) => payload[i + k] === b));
  if (at < 0) throw new Error('placeholder not found in the share payload');
  payload.set(enc.encode(url), at);
  return `#s1.${base64UrlEncode(deflateSync(payload, { level: 9 }))}`;
}

/** Camera floats in payload order: position xyz, target xyz, up xyz, fov (degrees). */
export type CameraFloats = [number, number, number, number, number, number, number, number, number, number];

/**
 * A share-link hash for `datasetUrl` whose camera is exactly `camera`, even one the encoder refuses (1e300, eye on
 * its target, fov 1e-300): encodes a valid marker camera, then overwrites its ten float64s in the payload.
 */
export function forgedCameraHash(datasetUrl: string, camera: CameraFloats): string {
  const marker: CameraFloats = [1234.5, -2345.25, 3456.125, 0.5, 0.25, 0.125, 0, 1, 0, 42.5];
  const text = encodeShareLink({
    ...BASE_STATE,
    datasetUrl,
    camera: {
      position: [marker[0], marker[1], marker[2]],
      target: [marker[3], marker[4], marker[5]],
      up: [marker[6], marker[7], marker[8]],
      fovDeg: marker[9],
    },
  });
  const payload = inflateSync(base64UrlDecode(text.slice('s1.'.length)));
  const needle = new Uint8Array(new Float64Array(marker).buffer);
  const at = payload.findIndex((_, i) => needle.every((b, k) => payload[i + k] === b));
  if (at < 0) throw new Error('marker camera not found in the share payload');
  payload.set(new Uint8Array(new Float64Array(camera).buffer), at);
  return `#s1.${base64UrlEncode(deflateSync(payload, { level: 9 }))}`;
}
