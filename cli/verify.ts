// `earshot verify`: opens a dataset folder the way the app opens a URL (parseNativeManifest + readNativeDataset, every SHA-256), then checks that every sprite page decodes at its size and every audio reference exists and holds the audio the dataset says. Read-only; reads only regular files inside the dataset folder (audio: inside --audio-root), each within its declared bytes.
import { closeSync, fstatSync, openSync, readSync, realpathSync, statSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  NATIVE_LIMITS,
  NATIVE_MANIFEST_FILE,
  parseNativeManifestText,
  readNativeDataset,
} from '../src/dataset/formats/native.ts';
import type { BlobSpec, NativeDataset } from '../src/dataset/formats/native.ts';
import { readWavInfo } from '../src/dsp/wavStream.ts';
import { errorMessage } from '../src/lib/errors.ts';
import { isInside, specialFileKind } from './fsUtil.ts';
import { OPEN_READ_NONBLOCKING, openFileSource } from './nodeSource.ts';
import { decodePngRgba } from '../src/dataset/formats/png.ts';

export interface VerifyResult {
  ok: boolean;
  problems: string[];
  dataset: NativeDataset | null;
  checked: { blobs: number; spritePages: number; audioFiles: number };
}

export interface VerifyOptions {
  /** Folder the audio references may point into (default: the dataset folder). Columns and sprites must always be inside the dataset folder. */
  audioRoot?: string | undefined;
}

/** A made-up http origin whose paths are this machine's absolute paths: resolved URLs map straight back to files. */
const ORIGIN = 'http://earshot-verify.invalid';

function urlToPath(url: string): string | null {
  if (!url.startsWith(`${ORIGIN}/`)) return null;
  return decodeURIComponent(new URL(url).pathname);
}

/** A folder that references must stay in: as given and with links resolved, and how messages name it. */
interface Fence {
  root: string;
  rootReal: string;
  label: string;
}

function fence(root: string, label: string): Fence {
  const abs = resolve(root);
  let rootReal = abs;
  try {
    rootReal = realpathSync(abs);
  } catch {
    // A missing folder: nothing resolves inside it, and each reference says so.
  }
  return { root: abs, rootReal, label };
}

const errCode = (err: unknown): string => (err as NodeJS.ErrnoException).code ?? errorMessage(err);

/**
 * Where `path` may be read: its real path when it lies in `f` (as written and after links) and is a regular file, else
 * why not. Stat comes before open: opening a device can act on it, and a FIFO would block.
 */
function placeWithin(path: string, f: Fence): { real: string; sizeBytes: number } | { problem: string } {
  if (!isInside(path, f.root)) return { problem: `outside ${f.label}` };
  let real: string;
  try {
    real = realpathSync(path);
  } catch (err) {
    return { problem: errCode(err) === 'ENOENT' ? 'does not exist' : `could not be read (${errCode(err)})` };
  }
  if (!isInside(real, f.rootReal)) return { problem: `leads outside ${f.label} (a link to ${real})` };
  const st = statSync(real);
  if (!st.isFile()) return { problem: `${specialFileKind(st)}, not a regular file` };
  return { real, sizeBytes: st.size };
}

/** At most `lengthBytes` from `offsetBytes` of a regular file (shorter when the file is): never more than asked. */
function readRange(real: string, offsetBytes: number, lengthBytes: number): Uint8Array {
  const fd = openSync(real, OPEN_READ_NONBLOCKING);
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new Error(`${specialFileKind(st)}, not a regular file`); // swapped since the stat
    const n = Math.max(0, Math.min(lengthBytes, st.size - offsetBytes));
    const out = new Uint8Array(n);
    let filled = 0;
    while (filled < n) {
      const got = readSync(fd, out, filled, n - filled, offsetBytes + filled);
      if (got === 0) break;
      filled += got;
    }
    return out.subarray(0, filled);
  } finally {
    closeSync(fd);
  }
}

export async function verifyDataset(dirOrManifest: string, options: VerifyOptions = {}): Promise<VerifyResult> {
  const manifestPath = dirOrManifest.endsWith('.json')
    ? resolve(dirOrManifest)
    : resolve(dirOrManifest, NATIVE_MANIFEST_FILE);
  const datasetDir = dirname(manifestPath);
  const problems: string[] = [];
  const checked = { blobs: 0, spritePages: 0, audioFiles: 0 };
  const baseUrl = `${ORIGIN}${pathToFileURL(manifestPath).pathname}`;
  const inDataset = fence(datasetDir, `the dataset folder ${datasetDir}`);
  const audioFence =
    options.audioRoot === undefined
      ? { ...inDataset, label: `${inDataset.label} (give --audio-root <folder> to check audio kept elsewhere)` }
      : fence(options.audioRoot, `the audio root ${resolve(options.audioRoot)}`);
  /** A reference as the manifest spells it, relative to the dataset folder. */
  const shown = (path: string): string => relative(datasetDir, path).split(sep).join('/') || '.';

  let dataset: NativeDataset;
  const getBytes = (spec: BlobSpec): Uint8Array | null => {
    const path = urlToPath(spec.path);
    if (path === null) {
      problems.push(`blob ${spec.path}: not a file next to the dataset`);
      return null;
    }
    const place = placeWithin(path, inDataset);
    if ('problem' in place) {
      problems.push(`blob ${shown(path)}: ${place.problem}`);
      return null;
    }
    try {
      const bytes = readRange(place.real, spec.byteOffset, spec.byteLength);
      checked.blobs++;
      return bytes;
    } catch (err) {
      problems.push(`blob ${shown(path)}: ${errorMessage(err)}`);
      return null;
    }
  };
  try {
    const place = placeWithin(manifestPath, fence(datasetDir, `the folder ${datasetDir}`));
    if ('problem' in place) throw new Error(place.problem);
    // UTF-8: at most 4 bytes a character; one byte more tells an oversized manifest from one that fits.
    const maxBytes = 4 * NATIVE_LIMITS.manifestChars;
    const bytes = readRange(place.real, 0, maxBytes + 1);
    if (bytes.length > maxBytes) throw new Error(`the manifest is larger than ${maxBytes} bytes`);
    const manifest = parseNativeManifestText(new TextDecoder().decode(bytes), baseUrl);
    dataset = readNativeDataset(manifest, baseUrl, getBytes, { withEmbeddings: true });
  } catch (err) {
    problems.push(`${manifestPath}: ${errorMessage(err)}`);
    return { ok: false, problems, dataset: null, checked };
  }
  const sprites = dataset.manifest.sprites;
  if (sprites) {
    for (const page of sprites.pages) {
      const bytes = getBytes(page);
      if (!bytes) continue; // getBytes said why
      try {
        if (sprites.mime !== 'image/png') continue; // only PNG pages are decoded here
        const png = decodePngRgba(bytes);
        if (png.widthPx !== sprites.pageWidthPx || png.heightPx !== sprites.pageHeightPx) {
          throw new Error(
            `is ${png.widthPx}×${png.heightPx} px, the manifest says ${sprites.pageWidthPx}×${sprites.pageHeightPx}`,
          );
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
    const place = placeWithin(path, audioFence);
    if ('problem' in place) {
      problems.push(`audio of ${name}: ${shown(path)}: ${place.problem}`);
      continue;
    }
    let source;
    try {
      // Only the declared range is the recording (byteLength 0: the whole file).
      source = await openFileSource(place.real, { byteOffset: ref.byteOffset, byteLength: ref.byteLength });
    } catch (err) {
      problems.push(`audio of ${name}: ${shown(path)}: ${errorMessage(err)}`);
      continue;
    }
    try {
      const info = await readWavInfo(source);
      const want = dataset.files.durationSec[i]!;
      if (
        Math.abs(info.durationSec - want) > 1e-3 * Math.max(1, want) ||
        info.sampleRateHz !== dataset.files.sampleRateHz[i]
      ) {
        problems.push(
          `audio of ${name}: ${info.durationSec.toFixed(3)} s at ${info.sampleRateHz} Hz, the dataset says ${want.toFixed(3)} s at ${dataset.files.sampleRateHz[i]} Hz`,
        );
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
      problems.push(
        `point ${p}: span [${dataset.startSec[p]}, ${end}) is outside its file's ${dataset.files.durationSec[f]} s`,
      );
      break;
    }
  }
  return { ok: problems.length === 0, problems, dataset, checked };
}
