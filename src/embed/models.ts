// Model registry: the manifests the app knows (built-in ones plus models the user added), keyed by id; main-thread module state, no React, no fetching.
import { BUILTIN_MANIFEST, EFFICIENTAT_MANIFEST, YAMNET_MANIFEST, type ModelManifest } from './manifest.ts';

export type ModelId = string;
export type BackendPreference = 'auto' | 'webgpu' | 'wasm';
export type Backend = 'webgpu' | 'wasm';

/** The manifests that ship with the app. */
export const BUILTIN_MANIFESTS: readonly ModelManifest[] = [EFFICIENTAT_MANIFEST, YAMNET_MANIFEST, BUILTIN_MANIFEST];

/** The models the server may offer from ../shared, in order of preference (the first available is the default). */
export const SHARED_MODEL_IDS = ['efficientat-mn04', 'yamnet'] as const;

const registry = new Map<ModelId, ModelManifest>(BUILTIN_MANIFESTS.map((m) => [m.id, m]));

/** The manifest for an id, or undefined. */
export function getManifest(id: ModelId): ModelManifest | undefined {
  return registry.get(id);
}

/** Adds or replaces a manifest (a model the user added); returns it. */
export function registerManifest(m: ModelManifest): ModelManifest {
  registry.set(m.id, m);
  return m;
}

export function unregisterManifest(id: ModelId): void {
  if (!BUILTIN_MANIFESTS.some((m) => m.id === id)) registry.delete(id);
}

export function isBuiltinModel(id: ModelId): boolean {
  return BUILTIN_MANIFESTS.some((m) => m.id === id);
}

/** Display name for an id (the id itself when unknown). */
export function modelName(id: ModelId): string {
  return registry.get(id)?.name ?? id;
}

/** What the embed worker reports after loading a model. */
export interface LoadedModelInfo {
  modelId: ModelId;
  backend: Backend;
  threads: number;
  embeddingDim: number;
  hasScores: boolean;
  /** Why a preferred backend was not used (e.g. "no WebGPU adapter"), or null. */
  fallbackReason: string | null;
  loadMs: number;
  /** The warm-up run (one batch) after creating the session. */
  warmupMs: number;
  /** Where the model bytes came from this time. */
  from: 'builtin' | 'network' | 'cache' | 'bytes';
}
