// Exploration actions on the map on screen: lasso/box selection, labels (assign, rename/merge, import tables),
// neighbour search (point or dropped clip), clusters, the softmax classifier, playlists and annotation exports.
// Main-thread orchestration: heavy maths runs in the analysis worker; big arrays stay here, outside React state.
import { zipSync } from 'fflate';
import { pipeline } from './pipeline.ts';
import { applyView } from './mapView.ts';
import { dropResults, keepResult, pointSetOf, resultsFor } from './analysisResults.ts';
import { scatterApi } from './datasetController.ts';
import type { MapLabel, ScatterApi } from '../scatter/viewApi.ts';
import { download } from './exporters.ts';
import { WorkerClient, type WorkerLike } from '../workers/rpc/client.ts';
import type { AnalysisApi } from '../workers/analysis.worker.ts';
import type { MapData } from '../dataset/mapData.ts';
import { pointScores } from '../dataset/pointScores.ts';
import { categoricalColor } from '../dataset/colormap.ts';
import { findDuplicates, pointGroups } from '../dataset/duplicates.ts';
import { defaultClusterCount, distinctNames } from '../analysis/clusterNames.ts';
import { getClassNames } from '../embed/classNames.ts';
import { topClasses } from '../embed/classMap.ts';
import { getManifest } from '../embed/models.ts';
import { combineSelection, pointsInPolygon } from '../analysis/neighbours.ts';
import {
  matchLabelTable,
  parseLabelTable,
  resolveLabels,
  type LabelAuthority,
  type LabelMatch,
  type LabelTable,
} from '../analysis/labelTable.ts';
import { writeRavenTable, type RavenRowInput } from '../analysis/raven.ts';
import { encodeNpyF32 } from '../analysis/npy.ts';
import { NEIGHBOUR_COUNT } from '../analysis/settings.ts';
import { toCsv, type CsvValue } from '../dataset/formats/csv.ts';
import { errorMessage } from '../lib/errors.ts';
import { useStore, type LegendEntry } from '../state/store.ts';
import { useViewStore } from '../state/viewStore.ts';
import { noPointResults, useExploreStore, type ClusterSummary, type ImportReport } from '../state/exploreStore.ts';

const spawnAnalysis = (): WorkerLike =>
  new Worker(new URL('../workers/analysis.worker.ts', import.meta.url), {
    type: 'module',
    name: 'analysis',
  }) as unknown as WorkerLike;
export const analysis = new WorkerClient<AnalysisApi>(spawnAnalysis, 'analysis');

/** Log-mel models (YAMNet, the built-in one) see 125–7500 Hz; annotations carry that band, capped at Nyquist. */
const MEL_LOW_HZ = 125;
const MEL_HIGH_HZ = 7500;
const CENTRAL_COUNT = 8;
const REVIEW_COUNT = 12;
/** A playlist plays each point's span, but at most this long. */
const MAX_PLAY_SEC = 6;
const GREY: [number, number, number] = [0.45, 0.45, 0.5];

let synced: { map: MapData; positions: Float32Array; count: number; key: string; ready: Promise<number> } | null = null;
let keyCounter = 0;
let pendingImport: { table: LabelTable; match: LabelMatch } | null = null;

function currentMap(): MapData {
  const map = pipeline.map;
  if (!map || map.pointCount === 0) throw new Error('there is no map yet');
  return map;
}

/** Sends the map's point vectors and layout to the analysis worker once per set of points; returns their key. */
export async function ensureData(map: MapData): Promise<string> {
  const positions = map.cartesian ?? map.positions;
  if (!synced || synced.map !== map || synced.positions !== positions || synced.count !== map.pointCount) {
    const key = `k${++keyCounter}`;
    // A dataset without embeddings (scatter-sounds, a 3D-only projector file): the tools work on its layout.
    const layoutOnly = map.embeddingDim === 0;
    const vectors = layoutOnly ? positions.slice(0, map.pointCount * 3) : map.pointVectors();
    const ready = analysis.call(
      'setData',
      {
        key,
        vectors,
        rows: map.pointCount,
        dim: layoutOnly ? 3 : map.embeddingDim,
        positions: positions.slice(),
        space: layoutOnly ? 'layout' : 'embedding',
      },
      { transfer: [vectors.buffer as ArrayBuffer], timeoutMs: 120_000 },
    );
    synced = { map, positions, count: map.pointCount, key, ready };
  }
  await synced.ready;
  return synced.key;
}

/** A new set of points (new map or layout) makes earlier clusters, predictions and neighbours meaningless. */
let shownFor: { map: MapData; positions: Float32Array; count: number } | null = null;
export function onMapChanged(map: MapData | null): void {
  const positions = map ? (map.cartesian ?? map.positions) : null;
  if (shownFor && map && shownFor.map === map && shownFor.positions === positions && shownFor.count === map.pointCount)
    return;
  shownFor = map && positions ? { map, positions, count: map.pointCount } : null;
  // Results are read per set of points (analysisResults.ts), so the old ones could not show; this frees them.
  dropResults();
  pendingImport = null;
  useExploreStore.setState(noPointResults());
}

async function busy<T>(what: string, work: () => Promise<T>): Promise<T | null> {
  useExploreStore.setState({ busy: what, error: null });
  try {
    return await work();
  } catch (err) {
    useExploreStore.setState({ error: `${what} failed: ${errorMessage(err)}` });
    return null;
  } finally {
    useExploreStore.setState({ busy: null });
  }
}

// ---- selection ----

/** Frames these points in the map's view (zoom to a selection or a cluster); false when there is no view or no point. */
export function zoomTo(points: readonly number[]): boolean {
  return scatterApi.current?.framePoints(points) ?? false;
}

/** Selects the points inside a lasso/box polygon given in client px ([x0, y0, x1, y1, …]). */
/** Selects the points a client-px polygon encloses in `view` (default: the map's view; the second model's view selects the same points). */
export function selectRegion(
  polygonClient: readonly number[],
  mode: 'replace' | 'add' | 'subtract',
  view: { current: ScatterApi | null } = scatterApi,
): number[] {
  const map = pipeline.map;
  const api = view.current;
  if (!map || !api) return [];
  const proj = api.project();
  const poly = polygonClient.map((v, i) => (i % 2 === 0 ? v - proj.leftPx : v - proj.topPx));
  const region = pointsInPolygon(proj.xy, poly);
  setSelection(combineSelection(useViewStore.getState().selection, region, mode));
  return region;
}

export function setSelection(points: readonly number[]): void {
  useViewStore.setState({ selection: [...points].sort((a, b) => a - b) });
  if (pipeline.map) applyView(pipeline.map);
}

/** What the map highlights (others go grey): the selection, else the neighbours listed. */
export function highlightedPoints(): readonly number[] {
  const sel = useViewStore.getState().selection;
  if (sel.length > 0) return sel;
  return useExploreStore.getState().neighbours.map((n) => n.point);
}

// ---- labels ----

function labelsChanged(map: MapData): void {
  useExploreStore.setState((s) => ({ labelsVersion: s.labelsVersion + 1 }));
  applyView(map);
}

/** Labels the given points (default: the selection). Empty text removes their labels. */
export function labelPoints(label: string, points: readonly number[] = useViewStore.getState().selection): number {
  const map = currentMap();
  const text = label.trim();
  map.setPointLabels(points, text === '' ? null : text, 'user');
  labelsChanged(map);
  return points.length;
}

/** Renames a label; onto an existing name it merges the two. */
export function renameLabel(from: string, to: string): void {
  const map = currentMap();
  const text = to.trim();
  if (text === '' || text === from) return;
  map.renameLabel(from, text);
  labelsChanged(map);
}

/** Label → point count on the map now, most common first. */
export function labelCounts(map: MapData): { label: string; count: number }[] {
  const counts = new Map<string, number>();
  for (let p = 0; p < map.pointCount; p++) {
    const l = map.pointInfo(p)?.label;
    if (l != null) counts.set(l, (counts.get(l) ?? 0) + 1);
  }
  return [...counts.entries()]
    .map(([label, count]) => ({ label, count }))
    .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
}

/** Reads a label table and reports how its rows match the map's files; nothing is applied yet. */
export function importLabelTable(text: string, fileName: string): ImportReport {
  const map = currentMap();
  const table = parseLabelTable(text);
  const files = map.files.map((f) => ({ index: f.index, path: f.path }));
  const match = matchLabelTable(table, files);
  pendingImport = { table, match };
  const report: ImportReport = {
    fileName,
    format: table.format,
    kind: table.kind,
    labelColumn: table.labelColumn,
    rows: table.rows.length,
    matched: match.matched.length,
    repaired: match.repaired,
    conflicts: match.conflicts.map((c) => ({
      row: c.row.row,
      tableName: c.row.file,
      fileName: c.fileName,
      tableLabel: c.row.label,
      fileLabel: table.targetNames.get(c.fileTarget) ?? null,
    })),
    missingFiles: match.missingFiles.map((r) => ({ row: r.row, file: r.file })),
    filesWithoutRows: match.filesWithoutRows.map((i) => map.files[i]?.path ?? `file ${i}`),
    skipped: table.skipped,
    applied: null,
  };
  useExploreStore.setState({ importReport: report, error: null });
  return report;
}

/** Applies the pending table with the chosen authority for rows whose file name disagrees with the table. */
export function applyLabelImport(authority: LabelAuthority): number {
  const map = currentMap();
  const pending = pendingImport;
  if (!pending) return 0;
  const files = map.files.map((f) => ({ index: f.index, path: f.path }));
  const assignments = resolveLabels(pending.table, pending.match, files, authority);
  // Whole-file labels first; spans then label their windows (and, one point per file, the file takes its most common span label).
  const spanVotes = new Map<number, Map<string, number>>();
  for (const a of assignments) {
    if (a.startSec === null || a.endSec === null) map.setFileLabel(a.fileIndex, a.label, 'table');
    else {
      const votes = spanVotes.get(a.fileIndex) ?? new Map<string, number>();
      votes.set(a.label, (votes.get(a.label) ?? 0) + (a.endSec - a.startSec));
      spanVotes.set(a.fileIndex, votes);
    }
  }
  for (const [fi, votes] of spanVotes) {
    const best = [...votes.entries()].sort((x, y) => y[1] - x[1])[0];
    if (best) map.setFileLabel(fi, best[0], 'table');
  }
  for (const a of assignments)
    if (a.startSec !== null && a.endSec !== null) map.setSpanLabel(a.fileIndex, a.startSec, a.endSec, a.label);
  if (map.pointTable) {
    // An opened dataset's points carry their own labels: label those of the matched files (and spans).
    for (let p = 0; p < map.pointCount; p++) {
      const info = map.pointInfo(p);
      if (!info) continue;
      const hit = assignments.find(
        (a) =>
          a.fileIndex === info.fileIndex &&
          (a.startSec === null ||
            (a.endSec !== null && Math.min(a.endSec, info.endSec) - Math.max(a.startSec, info.startSec) > 0)),
      );
      if (hit) map.setPointLabels([p], hit.label, 'table');
    }
  }
  const labelled = new Set(assignments.map((a) => a.fileIndex)).size;
  useExploreStore.setState((s) => ({
    importReport: s.importReport ? { ...s.importReport, applied: { authority, labelled } } : null,
  }));
  labelsChanged(map);
  return labelled;
}

// ---- neighbours ----

export async function findSimilar(point: number): Promise<void> {
  const map = currentMap();
  const file = map.files[map.pointInfo(point)?.fileIndex ?? -1];
  useExploreStore.setState({ neighbourBusy: true, neighbourQuery: `point ${point}${file ? ` (${file.name})` : ''}` });
  await busy('Neighbour search', async () => {
    const key = await ensureData(map);
    const res = await analysis.call(
      'neighbours',
      { key, point, query: null, k: NEIGHBOUR_COUNT },
      { timeoutMs: 60_000 },
    );
    useExploreStore.setState({ neighbours: res.map((n) => ({ point: n.index, similarity: n.similarity })) });
    applyView(map);
  });
  useExploreStore.setState({ neighbourBusy: false });
}

/** Search by example: embeds the clip with the map's model and lists the most similar points. */
export async function findSimilarToClip(file: File): Promise<void> {
  const map = currentMap();
  useExploreStore.setState({ neighbourBusy: true, neighbourQuery: `clip ${file.name}` });
  await busy('Search by example', async () => {
    const [query, key] = await Promise.all([pipeline.embedClip(file), ensureData(map)]);
    if (query.length !== map.embeddingDim)
      throw new Error(`the clip's embedding has ${query.length} values, the map's ${map.embeddingDim}`);
    const res = await analysis.call(
      'neighbours',
      { key, point: null, query, k: NEIGHBOUR_COUNT },
      { timeoutMs: 60_000 },
    );
    useExploreStore.setState({ neighbours: res.map((n) => ({ point: n.index, similarity: n.similarity })) });
    applyView(map);
  });
  useExploreStore.setState({ neighbourBusy: false });
}

export function clearNeighbours(): void {
  useExploreStore.setState({ neighbours: [], neighbourQuery: null });
  if (pipeline.map) applyView(pipeline.map);
}

// ---- clusters ----

/** Names a group by the model's top classes averaged over its members ("Insect, Cricket"), or null without scores. */
/** The model's classes over a group's summed scores, most likely first (null when the map has no scores). */
function groupClasses(map: MapData, members: readonly number[], count: number): string[] | null {
  let sum: Float32Array | null = null;
  for (const p of members) {
    const s = pointScores(map, p);
    if (!s) return null;
    sum ??= new Float32Array(s.length);
    for (let c = 0; c < s.length; c++) sum[c] = (sum[c] ?? 0) + (s[c] ?? 0);
  }
  if (!sum) return null;
  const modelId = useStore.getState().mapModelId;
  return topClasses(sum, modelId ? getClassNames(modelId) : null, count).map((c) => c.name);
}

/** A k to start k-means with on this map (the number of labels, else about √(n / 2)). */
export function defaultK(map: MapData | null): number {
  return map ? defaultClusterCount(map.pointCount, labelCounts(map).length) : 8;
}

export async function runClusters(method: 'kmeans' | 'hdbscan', param: number): Promise<void> {
  const map = currentMap();
  await busy('Clustering', async () => {
    const on = pointSetOf(map);
    const key = await ensureData(map);
    const r =
      method === 'kmeans'
        ? await analysis.call(
            'kmeans',
            { key, k: Math.max(1, Math.round(param)), centralCount: CENTRAL_COUNT },
            { timeoutMs: 300_000 },
          )
        : await analysis.call(
            'hdbscan',
            { key, minClusterSize: Math.max(2, Math.round(param)), centralCount: CENTRAL_COUNT },
            { timeoutMs: 300_000 },
          );
    const members: number[][] = Array.from({ length: r.clusterCount }, () => []);
    let noise = 0;
    r.assignment.forEach((c, p) => (c >= 0 ? members[c]?.push(p) : noise++));
    // Named by their top classes, no two alike (the next class that tells them apart, else a number).
    const ranked = members.map((m) => groupClasses(map, m, 6));
    const names = ranked.every((r) => r !== null) ? distinctNames(ranked as string[][]) : null;
    const clusters: ClusterSummary[] = members.map((m, c) => ({
      index: c,
      name: names?.[c] ?? `cluster ${c + 1}`,
      count: m.length,
      color: categoricalColor(c),
      central: r.central[c] ?? [],
    }));
    const legend: LegendEntry[] = clusters.map((c) => ({
      label: `${c.index + 1}. ${c.name}`,
      color: c.color,
      count: c.count,
    }));
    if (noise > 0) legend.push({ label: '(noise)', color: GREY, count: noise });
    keepResult('clusters', on, { assignment: r.assignment, legend });
    // A new map arrived meanwhile: these clusters are kept for their own points and not shown.
    if (pipeline.map !== map) return;
    useExploreStore.setState({ clusters, clusterMethod: method, clusterNoise: noise });
    useViewStore.setState({ colourMode: 'cluster' });
    applyView(map);
  });
}

/** Each cluster's name at its most central member, for the map; null when the map's points have no clustering. */
export function clusterLabels(map: MapData | null = pipeline.map): MapLabel[] | null {
  if (!clusterOf(map)) return null;
  return useExploreStore
    .getState()
    .clusters.filter((c) => c.central.length > 0)
    .map((c) => ({ text: c.name, point: c.central[0]!, color: c.color, weight: c.count }));
}

/** Cluster number per point (-1 noise) of the last clustering on the map's current points, or null. */
export function clusterOf(map: MapData | null = pipeline.map): Int32Array | null {
  return resultsFor(map).clusters?.assignment ?? null;
}

// ---- classifier ----

export async function trainClassifier(): Promise<void> {
  const map = currentMap();
  await busy('Training', async () => {
    const names = labelCounts(map)
      .map((l) => l.label)
      .sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
    if (names.length < 2) throw new Error('label at least two groups first');
    const index = new Map(names.map((n, i) => [n, i]));
    const y = new Int32Array(map.pointCount).fill(-1);
    for (let p = 0; p < map.pointCount; p++) {
      const l = map.pointInfo(p)?.label;
      if (l != null) y[p] = index.get(l) ?? -1;
    }
    const on = pointSetOf(map);
    const key = await ensureData(map);
    // Copies of a file, and a file's windows, stay in one fold: else the score counts files the model has seen.
    const groups = pointGroups(findDuplicates(map.files), map.pointCount, (p) => map.pointInfo(p)?.fileIndex ?? -1);
    const r = await analysis.call('classify', { key, y, classes: names.length, groups }, { timeoutMs: 600_000 });
    keepResult('prediction', on, { predicted: r.predicted, confidence: r.confidence, classes: names });
    if (pipeline.map !== map) return;
    // Review queue: the least certain points, unlabelled ones first.
    const order = Array.from({ length: map.pointCount }, (_, p) => p).sort(
      (a, b) => Number(y[a]! >= 0) - Number(y[b]! >= 0) || r.confidence[a]! - r.confidence[b]!,
    );
    const reviewQueue = order.slice(0, REVIEW_COUNT).map((p) => ({ point: p, similarity: r.confidence[p]! }));
    useExploreStore.setState({
      classes: names,
      cvAccuracy: Number.isFinite(r.cvAccuracy) ? r.cvAccuracy : null,
      reviewQueue,
    });
    useViewStore.setState({ colourMode: 'predicted' });
    applyView(map);
  });
}

/** Predicted class name and confidence of a point, when a classifier has run on these points. */
export function predictionOf(
  point: number,
  map: MapData | null = pipeline.map,
): { label: string; confidence: number } | null {
  const prediction = resultsFor(map).prediction;
  if (!prediction) return null;
  const c = prediction.predicted[point];
  const label = c === undefined ? undefined : prediction.classes[c];
  if (label === undefined) return null;
  return { label, confidence: prediction.confidence[point] ?? 0 };
}

// ---- playlist ----

let playToken = 0;

/** Plays points one after another (each its span, at most MAX_PLAY_SEC); a new list or stop() ends the old one. */
export async function playList(points: readonly number[]): Promise<void> {
  const token = ++playToken;
  const map = pipeline.map;
  if (!map) return;
  pipeline.player.unlock();
  for (const p of points) {
    if (token !== playToken || pipeline.map !== map) return;
    const info = map.pointInfo(p);
    if (!info) continue;
    useExploreStore.setState({ playing: p });
    pipeline.playPoint(p, false);
    const sec = Math.min(MAX_PLAY_SEC, Math.max(0.3, info.endSec - info.startSec));
    await new Promise((r) => setTimeout(r, sec * 1000 + 150));
  }
  if (token === playToken) {
    useExploreStore.setState({ playing: null });
    pipeline.player.stop();
  }
}

export function stopPlaylist(): void {
  playToken++;
  useExploreStore.setState({ playing: null });
  pipeline.player.stop();
}

// ---- exports ----

/** The frequency band an annotation states: the model's band (log-mel 125–7500 Hz), capped at the file's Nyquist. */
function bandOf(map: MapData, fileIndex: number): { lowHz: number; highHz: number } {
  const nyquistHz = (map.files[fileIndex]?.sampleRateHz ?? 0) / 2 || MEL_HIGH_HZ;
  const modelId = useStore.getState().mapModelId;
  const manifest = modelId ? getManifest(modelId) : null;
  if (manifest?.input.kind === 'waveform')
    return { lowHz: 0, highHz: Math.min(nyquistHz, manifest.input.sampleRateHz / 2) };
  return { lowHz: Math.min(MEL_LOW_HZ, nyquistHz), highHz: Math.min(MEL_HIGH_HZ, nyquistHz) };
}

/** Points to export: the selection when there is one, else every labelled point. */
export function exportTargets(map: MapData, scope: 'selection' | 'labelled'): number[] {
  if (scope === 'selection') return [...useViewStore.getState().selection];
  const out: number[] = [];
  for (let p = 0; p < map.pointCount; p++) if (map.pointInfo(p)?.label != null) out.push(p);
  return out;
}

export function annotationRows(map: MapData, points: readonly number[]): RavenRowInput[] {
  const rows: RavenRowInput[] = [];
  for (const p of points) {
    const info = map.pointInfo(p);
    const f = info ? map.files[info.fileIndex] : undefined;
    if (!info || !f) continue;
    const pred = predictionOf(p);
    rows.push({
      file: f.name,
      startSec: info.startSec,
      endSec: info.endSec,
      ...bandOf(map, f.index),
      label: info.label,
      score: pred ? pred.confidence : null,
    });
  }
  return rows;
}

export function exportRaven(scope: 'selection' | 'labelled'): string {
  const map = currentMap();
  const text = writeRavenTable(annotationRows(map, exportTargets(map, scope)));
  download(new TextEncoder().encode(text), `earshot-${scope}.selections.txt`, 'text/plain');
  return text;
}

export function exportAnnotationCsv(scope: 'selection' | 'labelled'): string {
  const map = currentMap();
  const rows: CsvValue[][] = [['file', 'start_s', 'end_s', 'label', 'score']];
  for (const r of annotationRows(map, exportTargets(map, scope)))
    rows.push([r.file, r.startSec, r.endSec, r.label, r.score ?? null]);
  const text = toCsv(rows);
  download(new TextEncoder().encode(text), `earshot-${scope}.csv`, 'text/csv');
  return text;
}

/** The selection's embeddings as embeddings.npy ('<f4', n × dim) with metadata.csv (one row per npy row), zipped. */
export function exportEmbeddings(scope: 'selection' | 'labelled'): void {
  const map = currentMap();
  const points = exportTargets(map, scope);
  const dim = map.embeddingDim;
  const all = map.pointVectors();
  const values = new Float32Array(points.length * dim);
  points.forEach((p, i) => values.set(all.subarray(p * dim, (p + 1) * dim), i * dim));
  const meta: CsvValue[][] = [['row', 'point', 'file', 'start_s', 'end_s', 'label']];
  points.forEach((p, i) => {
    const info = map.pointInfo(p);
    meta.push([
      i,
      p,
      info ? (map.files[info.fileIndex]?.path ?? '') : '',
      info?.startSec ?? null,
      info?.endSec ?? null,
      info?.label ?? null,
    ]);
  });
  const zip = zipSync({
    'embeddings.npy': encodeNpyF32(values, points.length, dim),
    'metadata.csv': new TextEncoder().encode(toCsv(meta)),
  });
  download(zip, `earshot-${scope}-embeddings.zip`, 'application/zip');
}
