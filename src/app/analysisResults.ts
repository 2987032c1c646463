// Results of the analyses (clusters, classifier, trust), each tied to the set of points it was computed on. They are
// read only through `resultsFor(map)`, which gives nothing for another set, so a new map, layout or point count can
// never show an earlier map's clusters or predictions, whether or not anyone remembered to clear them. Main thread;
// big arrays stay here, outside React state.
import type { MapData } from '../dataset/mapData.ts';
import type { LegendEntry } from '../state/store.ts';

/** The points a result belongs to: another map, another cartesian layout or another point count is another set. */
export interface PointSet {
  readonly map: MapData;
  readonly positions: Float32Array;
  readonly count: number;
}

export function pointSetOf(map: MapData): PointSet {
  return { map, positions: map.cartesian ?? map.positions, count: map.pointCount };
}

export function samePoints(a: PointSet, b: PointSet): boolean {
  return a.map === b.map && a.positions === b.positions && a.count === b.count;
}

export interface ClusterResult {
  /** Cluster per point, -1 for noise. */
  assignment: Int32Array;
  /** Legend entries, one per cluster in cluster order, then noise when there is any. */
  legend: LegendEntry[];
}

export interface PredictionResult {
  /** Class index per point, and the classifier's confidence in it. */
  predicted: Int32Array;
  confidence: Float32Array;
  classes: readonly string[];
}

/** What the colour modes read: each result of these points, or null when none was computed on them. */
export interface AnalysisResults {
  clusters: ClusterResult | null;
  prediction: PredictionResult | null;
  /** Trust per point in [0, 1]. */
  trust: Float32Array | null;
}

export const NO_RESULTS: AnalysisResults = { clusters: null, prediction: null, trust: null };

type Kind = keyof AnalysisResults;
const held: { [K in Kind]: { on: PointSet; value: NonNullable<AnalysisResults[K]> } | null } = {
  clusters: null,
  prediction: null,
  trust: null,
};

/** Keeps a result for the points it was computed on (`on`, taken when the job started). */
export function keepResult<K extends Kind>(kind: K, on: PointSet, value: NonNullable<AnalysisResults[K]>): void {
  (held as Record<Kind, { on: PointSet; value: unknown } | null>)[kind] = { on, value };
}

/** Every result of the map's current points. */
export function resultsFor(map: MapData | null): AnalysisResults {
  if (!map) return NO_RESULTS;
  const now = pointSetOf(map);
  const of = <K extends Kind>(kind: K): AnalysisResults[K] => {
    const h = held[kind];
    return h && samePoints(h.on, now) ? h.value : null;
  };
  return { clusters: of('clusters'), prediction: of('prediction'), trust: of('trust') };
}

/** Lets go of every result (their arrays can be large). */
export function dropResults(): void {
  held.clusters = null;
  held.prediction = null;
  held.trust = null;
}
