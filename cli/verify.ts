// `earshot verify`: opens a dataset folder the way the app opens a URL (parseNativeManifest + readNativeDataset, every SHA-256), then checks that every sprite page decodes at its size and every audio reference exists and holds the audio the dataset says. Read-only.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { NATIVE_MANIFEST_FILE, parseNativeManifestText, readNativeDataset } from '../src/dataset/formats/native.ts';
import type { BlobSpec, NativeDataset } from '../src/dataset/formats/native.ts';
import { readWavInfo } from '../src/dsp/wavStream.ts';
import { errorMessage } from '../src/lib/errors.ts';
import { openFileSource } from './nodeSource.ts';
import { decodePngRgba } from '../src/dataset/formats/png.ts';

export interface VerifyResult {
  ok: boolean;
  problems: string[];
  dataset: NativeDataset | null;
  checked: { blobs: number; spritePages: number; audioFiles: number };
}

/** A made-up http origin whose paths are this machine's absolute paths: resolved URLs map straight back to files. */
const ORIGIN = 'http://earshot-verify.invalid';

function urlToPath(url: string): string | null {
  if (!url.startsWith(`${ORIGIN}/`)) return null;
  return decodeURIComponent(new URL(url).pathname);
}

export async function verifyDataset(dirOrManifest: string): Promise<VerifyResult> {
  const manifestPath = dirOrManifest.endsWith('.json') ? resolve(dirOrManifest) : resolve(dirOrManifest, NATIVE_MANIFEST_FILE);
  const problems: string[] = [];
  const checked = { blobs: 0, spritePages: 0, audioFiles: 0 };
  const baseUrl = `${ORIGIN}${pathToFileURL(manifestPath).pathname}`;
  let dataset: NativeDataset;
  const fileCache = new Map<string, Uint8Array | null>();
  const getBytes = (spec: BlobSpec): Uint8Array | null => {
    const path = urlToPath(spec.path);
    if (path === null) {
      problems.push(`${spec.path}: not a file next to the dataset`);
      return null;
    }
    let whole = fileCache.get(path);
    if (whole === undefined) {
      whole = existsSync(path) ? new Uint8Array(readFileSync(path)) : null;
      fileCache.set(path, whole);
    }
    checked.blobs++;
    return whole ? whole.subarray(spec.byteOffset, spec.byteOffset + spec.byteLength) : null;
  };
  try {
    const manifest = parseNativeManifestText(readFileSync(manifestPath, 'utf8'), baseUrl);
    dataset = readNativeDataset(manifest, baseUrl, getBytes, { withEmbeddings: true });
  } catch (err) {
    problems.push(`${manifestPath}: ${errorMessage(err)}`);
    return { ok: false, problems, dataset: null, checked };
  }
  const sprites = dataset.manifest.sprites;
  if (sprites) {
    for (const page of sprites.pages) {
      const bytes = getBytes(page);
      try {
        if (!bytes) throw new Error('missing');
        if (sprites.mime !== 'image/png') continue; // only PNG pages are decoded here
        const png = decodePngRgba(bytes);
        if (png.widthPx !== sprites.pageWidthPx || png.heightPx !== sprites.pageHeightPx) {
          throw new Error(`is ${png.widthPx}×${png.heightPx} px, the manifest says ${sprites.pageWidthPx}×${sprites.pageHeightPx}`);
        }
        checked.spritePages++;
      } catch (err) {
        problems.push(`sprite page ${page.path}: ${errorMessage(err)}`);
      }
    }
  }
  for (const [i, ref] of dataset.files.audio.entries()) {
    if (!ref) continue;
    const path = urlToPath(ref.url);
    const name = dataset.files.paths[i] ?? `file ${i}`;
    if (path === null) continue; // an http(s) URL elsewhere: not checked offline
    if (!existsSync(path) || !statSync(path).isFile()) {
      problems.push(`audio of ${name}: ${path} does not exist`);
      continue;
    }
    const source = await openFileSource(path);
    try {
      const info = await readWavInfo(source);
      const want = dataset.files.durationSec[i]!;
      if (Math.abs(info.durationSec - want) > 1e-3 * Math.max(1, want) || info.sampleRateHz !== dataset.files.sampleRateHz[i]) {
        problems.push(`audio of ${name}: ${info.durationSec.toFixed(3)} s at ${info.sampleRateHz} Hz, the dataset says ${want.toFixed(3)} s at ${dataset.files.sampleRateHz[i]} Hz`);
      }
      checked.audioFiles++;
    } catch (err) {
      problems.push(`audio of ${name}: ${errorMessage(err)}`);
    } finally {
      await source.close();
    }
  }
  for (let p = 0; p < dataset.manifest.pointCount; p++) {
    const f = dataset.fileIndex[p]!;
    const end = dataset.endSec[p]!;
    if (dataset.startSec[p]! < 0 || end > dataset.files.durationSec[f]! + 1e-3) {
      problems.push(`point ${p}: span [${dataset.startSec[p]}, ${end}) is outside its file's ${dataset.files.durationSec[f]} s`);
      break;
    }
  }
  return { ok: problems.length === 0, problems, dataset, checked };
}
