// Model registry: the descriptors of the models the app knows; pure data plus a tiny probe helper.

export type ModelId = 'yamnet' | 'earshot-builtin-v1';

export interface ModelDescriptor {
  id: ModelId;
  name: string;
  /** 'builtin' models are generated in code (no file); 'url' models are fetched from the app's own server. */
  source: { kind: 'builtin' } | { kind: 'url'; url: string };
  inputName: string;
  embeddingOutput: string;
  scoresOutput: string | null;
  /** Where the class names for `scores` live (CSV: index,mid,display_name). */
  classMapUrl: string | null;
  license: string;
}

export const YAMNET: ModelDescriptor = {
  id: 'yamnet',
  name: 'YAMNet (AudioSet, 1024-d)',
  source: { kind: 'url', url: '/models/yamnet/yamnet.onnx' },
  inputName: 'log_mel',
  embeddingOutput: 'embedding',
  scoresOutput: 'scores',
  classMapUrl: '/models/yamnet/yamnet_class_map.csv',
  license: 'Apache-2.0',
};

export const BUILTIN: ModelDescriptor = {
  id: 'earshot-builtin-v1',
  name: 'Earshot built-in (log-mel statistics and modulation)',
  source: { kind: 'builtin' },
  inputName: 'log_mel',
  embeddingOutput: 'embedding',
  scoresOutput: null,
  classMapUrl: null,
  license: 'MIT (generated in code, no weights)',
};

export const MODELS: Record<ModelId, ModelDescriptor> = { yamnet: YAMNET, 'earshot-builtin-v1': BUILTIN };

export type BackendPreference = 'auto' | 'webgpu' | 'wasm';

/** What the embed worker reports after loading a model. */
export interface LoadedModelInfo {
  modelId: ModelId;
  backend: 'webgpu' | 'wasm';
  threads: number;
  embeddingDim: number;
  hasScores: boolean;
  /** Why a preferred backend was not used (e.g. "no WebGPU adapter"), or null. */
  fallbackReason: string | null;
  loadMs: number;
}
