// `earshot project`: parts → the app's own MapData (same points, per-file means and default granularity) → layout3d (seed 42, as the app) → native dataset v1 with PNG sprites and audio references, written atomically. No model, no audio decoding.
import { relative, resolve } from 'node:path';
import { descriptorTable } from '../src/dataset/pointDescriptors.ts';
import { buildNativeDataset, nativeInputFromMap } from '../src/dataset/formats/index.ts';
import type { NativeDatasetInput } from '../src/dataset/formats/index.ts';
import { NATIVE_MANIFEST_FILE } from '../src/dataset/formats/native.ts';
import { labelFromPath } from '../src/dataset/labels.ts';
import { MapData } from '../src/dataset/mapData.ts';
import type { FileRecord, Granularity } from '../src/dataset/mapData.ts';
import { layout3d } from '../src/reduce/layout3d.ts';
import { writeFileAtomic, toPosix } from './fsUtil.ts';
import { MEL_BANDS, RUN_INDEX_FILE, listPartFiles, partFrames, readPart, readPartHeader } from './part.ts';
import type { PartHeader, RunIndex } from './part.ts';
import { readJson } from './fsUtil.ts';
import { encodePngRgba } from '../src/dataset/formats/png.ts';
import { ProgressBar } from './progress.ts';

/** The app's layout seed (src/app/pipeline.ts). */
export const LAYOUT_SEED = 42;
const PATCH_FRAMES = 96;
const PATCH_HOP_FRAMES = 48;
export const REPORT_FILE = 'earshot-report.json';

export interface ProjectOptions {
  /** Folder with parts/ (an embed output or a merge). */
  dir: string;
  /** Where the dataset goes (default: `dir`). */
  outDir?: string | undefined;
  /** 'auto' (default) = the app's rule: one point per file unless the median file is longer than 30 s. */
  granularity?: Granularity | 'auto' | undefined;
  embeddings?: 'float16' | 'float32' | 'none' | undefined;
  /** Audio URLs as `audioBase` + the input path, instead of paths relative to the dataset. */
  audioBase?: string | undefined;
  name?: string | undefined;
  progress?: boolean | undefined;
  log?: ((line: string) => void) | undefined;
  /** UMAP epochs (tests); default: umap-js's choice, as in the app. */
  nEpochs?: number | undefined;
}

export interface ProjectSummary {
  files: number;
  done: number;
  failed: number;
  points: number;
  granularity: Granularity;
  model: string;
  outDir: string;
  manifestPath: string;
  wallSec: number;
}

/** A relative URL path: each segment percent-encoded ("\\" → %5C, "#" → %23, "%" → %25), "." and ".." kept as steps. */
function encodeUrlPath(p: string): string {
  return p
    .split('/')
    .map((s) => (s === '..' || s === '.' ? s : encodeURIComponent(s)))
    .join('/');
}

/**
 * The URL of a stored input path under --audio-base: "." and ".." steps resolved, each segment percent-encoded (a
 * backslash is part of a POSIX name, not a separator), a leading "/" dropped. A path that climbs above the base
 * ("../in/x.wav", given from a folder below the inputs) has no URL there: the problem says why.
 */
export function audioBaseUrl(base: string, path: string): { url: string } | { problem: string } {
  const segments: string[] = [];
  for (const s of path.split('/')) {
    if (s === '' || s === '.') continue;
    if (s !== '..') segments.push(s);
    else if (segments.pop() === undefined) return { problem: `its path climbs out of --audio-base (${path})` };
  }
  const prefix = base.endsWith('/') ? base : `${base}/`;
  const url = prefix + segments.map(encodeURIComponent).join('/');
  // Belt and braces: whatever the segments were, the URL must still resolve under the base.
  if (!new URL(url).href.startsWith(new URL(prefix).href))
    return { problem: `its path resolves outside --audio-base (${path})` };
  return { url };
}

export async function runProject(options: ProjectOptions): Promise<ProjectSummary> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const t0 = performance.now();
  const dir = options.dir;
  const outDir = options.outDir ?? dir;
  const index = (await readJson(resolve(dir, RUN_INDEX_FILE)).catch(() => null)) as RunIndex | null;
  if (!index)
    log(
      `warning: ${dir} has no ${RUN_INDEX_FILE}: its embed run has not finished (or was killed); the dataset holds only the files embedded so far`,
    );
  else if (index.shard && index.shard.count > 1)
    log(
      `warning: ${dir} is shard ${index.shard.index}/${index.shard.count} only; merge the shards first (earshot merge) for the whole set`,
    );

  const headers: { path: string; header: PartHeader }[] = [];
  for (const file of await listPartFiles(dir)) {
    const header = await readPartHeader(file);
    if (!header) throw new Error(`${file} is not a readable part file`);
    headers.push({ path: file, header });
  }
  if (headers.length === 0) throw new Error(`${dir} holds no parts (run earshot embed first)`);
  headers.sort((a, b) => (a.header.path < b.header.path ? -1 : a.header.path > b.header.path ? 1 : 0));
  const modelIds = new Set(headers.map((h) => `${h.header.model.id}@${h.header.model.sha256}`));
  if (modelIds.size > 1)
    throw new Error(
      `the parts in ${dir} come from different models (${[...modelIds].join(', ')}); embed them with one model`,
    );
  const modelId = headers[0]!.header.model.id;

  // The app's in-memory map, filled from the parts in path order.
  const map = new MapData();
  headers.forEach(({ header: h }, index) => {
    const { label, source } = labelFromPath(h.path);
    const record: FileRecord = {
      index,
      path: h.path,
      name: h.path.slice(h.path.lastIndexOf('/') + 1),
      sizeBytes: h.source.sizeBytes,
      label,
      labelSource: source,
      status: h.status === 'done' && h.windowCount > 0 ? 'done' : 'failed',
      error: h.error?.message ?? null,
      notes: h.notes,
      durationSec: h.durationSec,
      sampleRateHz: h.sampleRateHz,
      channels: h.channels,
      format: 'wav',
      firstWindow: 0,
      windowCount: h.status === 'done' ? h.windowCount : 0,
      fileCell: -1,
    };
    map.files.push(record);
    map.buffers.push(null);
  });
  const granularity: Granularity =
    options.granularity === undefined || options.granularity === 'auto'
      ? map.defaultGranularity()
      : options.granularity;
  const bar = new ProgressBar('project', process.stderr, options.progress ?? true);
  let loaded = 0;
  for (const [i, { path, header }] of headers.entries()) {
    const record = map.files[i]!;
    loaded++;
    if (record.status !== 'done') continue;
    const part = await readPart(path);
    record.firstWindow = map.addWindows(i, header.windowCount);
    map.setEmbeddings(record.firstWindow, header.windowCount, part.embeddings, header.embeddingDim, null, 0);
    if (part.descriptors) map.setDescriptors(record.firstWindow, [part.descriptors]);
    if (part.clipEmbedding) map.setClipEmbedding(i, part.clipEmbedding, null);
    // Thumbnails as the app makes them (pipeline.addThumbnails), only for the points this granularity shows.
    if (granularity === 'window') {
      for (let w = 0; w < header.windowCount; w++) {
        map.windowCell[record.firstWindow + w] = map.atlas.addLogMel(
          partFrames(part, w * PATCH_HOP_FRAMES, PATCH_FRAMES),
          PATCH_FRAMES,
          MEL_BANDS,
        );
      }
    } else {
      record.fileCell = map.atlas.addLogMel(partFrames(part, 0, header.frameCount), header.frameCount, MEL_BANDS);
    }
    bar.updateStage('reading parts', loaded, headers.length);
  }
  bar.updateStage('reading parts', loaded, headers.length, true);
  bar.end();
  if (map.doneFiles().length === 0)
    throw new Error(`no file in ${dir} could be mapped; see the errors of the embed run`);

  const { vectors, rows, dim } = map.buildPoints(granularity);
  log(
    `earshot project: ${rows} points (${granularity === 'file' ? 'one per file' : 'one per 0.96 s window'}) × ${dim} from ${map.doneFiles().length} files; UMAP 3D, seed ${LAYOUT_SEED}`,
  );
  const layoutOptions: Parameters<typeof layout3d>[3] = {
    seed: LAYOUT_SEED,
    onProgress: (done, total, stage) => bar.updateStage(stage, done, total),
  };
  if (options.nEpochs !== undefined) layoutOptions.nEpochs = options.nEpochs;
  map.positions = await layout3d(vectors, rows, dim, layoutOptions);

  const absOut = resolve(outDir);
  /** Files whose input path has no URL under --audio-base: no audio reference rather than one outside the base. */
  const unlinkedAudio: { path: string; reason: string }[] = [];
  const input: NativeDatasetInput = nativeInputFromMap(map, {
    name: options.name ?? `${modelId} map of ${map.doneFiles().length} files`,
    description: 'Made by the earshot command line (earshot embed → project).',
    createdBy: 'earshot-cli',
    embeddings: options.embeddings ?? 'float16',
    model: modelId,
    descriptors: descriptorTable(map),
    spriteEncoder: { mime: 'image/png', encode: (rgba, w, h) => encodePngRgba(rgba, w, h) },
    audioUrlOfFile: (f) => {
      if (f.status !== 'done') return null;
      const h = headers[f.index]!.header;
      if (options.audioBase === undefined) return encodeUrlPath(toPosix(relative(absOut, h.audioPath)));
      const r = audioBaseUrl(options.audioBase, h.path);
      if ('url' in r) return r.url;
      unlinkedAudio.push({ path: h.path, reason: r.problem });
      return null;
    },
  });
  if (unlinkedAudio.length > 0) {
    const some = unlinkedAudio
      .slice(0, 3)
      .map((u) => u.path)
      .join(', ');
    log(
      `warning: ${unlinkedAudio.length} files get no audio URL: their paths climb out of --audio-base (${some}${unlinkedAudio.length > 3 ? ', …' : ''}); ` +
        `embed from a folder that holds the inputs to publish them under it (listed in ${REPORT_FILE})`,
    );
  }
  const built = buildNativeDataset(input);
  // Columns first, the manifest last: a reader never sees a manifest whose blobs are not there yet.
  for (const [path, bytes] of built.files)
    if (path !== NATIVE_MANIFEST_FILE) await writeFileAtomic(resolve(absOut, path), bytes);
  const report = {
    format: 'earshot-report',
    version: 1,
    model: modelId,
    granularity,
    files: headers.length,
    points: rows,
    failed: map.files.filter((f) => f.status !== 'done').map((f) => ({ path: f.path, reason: f.error ?? 'failed' })),
    notes: map.files
      .filter((f) => f.status === 'done' && f.notes.length > 0)
      .map((f) => ({ path: f.path, notes: f.notes })),
    unlinkedAudio,
  };
  await writeFileAtomic(resolve(absOut, REPORT_FILE), `${JSON.stringify(report, null, 1)}\n`);
  await writeFileAtomic(resolve(absOut, NATIVE_MANIFEST_FILE), built.files.get(NATIVE_MANIFEST_FILE)!);
  bar.updateStage('written', 1, 1, true);
  bar.end();
  return {
    files: headers.length,
    done: map.doneFiles().length,
    failed: report.failed.length,
    points: rows,
    granularity,
    model: modelId,
    outDir: absOut,
    manifestPath: resolve(absOut, NATIVE_MANIFEST_FILE),
    wallSec: (performance.now() - t0) / 1000,
  };
}
