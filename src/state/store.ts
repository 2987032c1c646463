// App state (zustand): ids, counts, versions and view state only. Big arrays live in MapData.
import { create } from 'zustand';
import type { BackendPreference, LoadedModelInfo, ModelId } from '../embed/models.ts';
import type { Granularity } from '../dataset/mapData.ts';

export type StageName = 'decode' | 'features' | 'embed' | 'project';
export const STAGES: StageName[] = ['decode', 'features', 'embed', 'project'];

export interface StageProgress {
  done: number;
  total: number;
  /** ms since epoch (performance.timeOrigin based) when work started, or null. */
  startedAt: number | null;
  finishedAt: number | null;
  unit: string;
}

export interface FailedFile {
  path: string;
  reason: string;
}

/** A file that did map, with notes worth knowing ("kind: detail": short, silent, truncated, repaired). */
export interface NotedFile {
  path: string;
  notes: string[];
}

export interface LegendEntry {
  label: string;
  color: [number, number, number];
  count: number;
}

export type Phase = 'idle' | 'running' | 'done' | 'cancelled' | 'error';

export interface AppState {
  phase: Phase;
  message: string | null;
  stages: Record<StageName, StageProgress>;
  fileCount: number;
  failed: FailedFile[];
  noted: NotedFile[];
  /** Which models this server offers; YAMNet is missing on a clone without ../shared. */
  availableModels: ModelId[];
  selectedModel: ModelId | null;
  modelNote: string | null;
  model: LoadedModelInfo | null;
  /** Backend the user asked for (the toolbar's override; ?backend= sets its start value). */
  backendPreference: BackendPreference;
  /** The model whose embeddings (and scores) the current map holds. */
  mapModelId: ModelId | null;
  /** Bumped when a class map (names for score outputs) arrives. */
  classMapVersion: number;
  /** Measured embedding throughput of the last run. */
  patchesPerSec: number | null;
  granularity: Granularity;
  mapVersion: number;
  pointCount: number;
  hovered: number | null;
  active: number | null;
  legend: LegendEntry[];
}

const emptyStage = (unit: string): StageProgress => ({ done: 0, total: 0, startedAt: null, finishedAt: null, unit });

export const initialStages = (): Record<StageName, StageProgress> => ({
  decode: emptyStage('files'),
  features: emptyStage('files'),
  embed: emptyStage('patches'),
  project: emptyStage('epochs'),
});

export const useStore = create<AppState>(() => ({
  phase: 'idle',
  message: null,
  stages: initialStages(),
  fileCount: 0,
  failed: [],
  noted: [],
  availableModels: [],
  selectedModel: null,
  modelNote: null,
  model: null,
  // The composition root sets the URL's ?backend= choice before the app renders.
  backendPreference: 'auto',
  mapModelId: null,
  classMapVersion: 0,
  patchesPerSec: null,
  granularity: 'file',
  mapVersion: 0,
  pointCount: 0,
  hovered: null,
  active: null,
  legend: [],
}));

export function patchStage(stage: StageName, patch: Partial<StageProgress>): void {
  useStore.setState((s) => ({ stages: { ...s.stages, [stage]: { ...s.stages[stage], ...patch } } }));
}
