// Model manifests (docs/model-manifest.md): the type, the validating parser for untrusted JSON (caps, URL sanitiser), and the check of a manifest against a model's declared inputs/outputs. Pure: no DOM, no fetch, never runs a model.
import { EarshotError } from '../lib/errors.ts';
import { unsafeUrlReason } from '../share/safeUrl.ts';
import { formatShape, type OnnxDim, type OnnxModelInfo, type OnnxValueInfo } from './onnx/onnxReader.ts';

export const MANIFEST_VERSION = 1;
/** Caps for untrusted manifests. */
export const MAX_MANIFEST_BYTES = 64 * 1024;
const MAX_NAME_CHARS = 200;
const MAX_TEXT_CHARS = 2000;
/** Longest analysis window a waveform model may ask for: 60 s. */
const MAX_WINDOW_SEC = 60;
const MIN_SAMPLE_RATE_HZ = 1000;
const MAX_SAMPLE_RATE_HZ = 192_000;
const MAX_EMBEDDING_DIM = 65_536;

/** YAMNet's log-mel frontend, the one log-mel frontend Earshot computes (MODEL.md; src/dsp/yamnetFrontend.ts). */
export const YAMNET_LOG_MEL = {
  sampleRateHz: 16000,
  stftWindowSamples: 400,
  stftHopSamples: 160,
  fftSize: 512,
  melBands: 64,
  melMinHz: 125,
  melMaxHz: 7500,
  logOffset: 0.001,
  patchFrames: 96,
  patchHopFrames: 48,
} as const;
export type LogMelFrontend = { -readonly [K in keyof typeof YAMNET_LOG_MEL]: number };

export interface LogMelPatchInput {
  kind: 'log_mel_patch';
  /** ONNX input name; fed float32 [batch, patchFrames, melBands]. */
  name: string;
  frontend: LogMelFrontend;
}

/**
 * EfficientAT's log-mel frames (src/dsp/efficientatFrontend.ts): 128 bands at 100 frames/s from 32 kHz, fed
 * [batch, 1, 128, frames]: 96-frame windows for long recordings, or every frame of a clip in one pass.
 */
export interface LogMelFramesInput {
  kind: 'log_mel_frames';
  /** ONNX input name; fed float32 [batch, 1, melBands, frames]. */
  name: string;
  frontend: 'efficientat-mn04';
}

/** The one log_mel_frames frontend Earshot computes (models/efficientat-mn04/MODEL.md). */
export const EFFICIENTAT_LOG_MEL = {
  sampleRateHz: 32000,
  melBands: 128,
  windowFrames: 96,
  windowHopFrames: 48,
  framesPerSecond: 100,
} as const;

export interface WaveformInput {
  kind: 'waveform';
  /** ONNX input name; fed float32 [batch, windowSamples] (or any shape whose non-batch dims multiply to it). */
  name: string;
  sampleRateHz: number;
  /** windowSec × sampleRateHz, rounded. */
  windowSamples: number;
  /** hopSec × sampleRateHz, rounded. */
  hopSamples: number;
}

export type ModelInput = LogMelPatchInput | LogMelFramesInput | WaveformInput;

export type ModelSource = { kind: 'builtin' } | { kind: 'url'; url: string } | { kind: 'file'; fileName: string };

export interface ModelManifest {
  manifestVersion: 1;
  /** [a-z0-9][a-z0-9._-]{0,63}: stable, used as the cache key. */
  id: string;
  name: string;
  source: ModelSource;
  /** Lower-case hex SHA-256 of the .onnx bytes, or null (not checked). */
  sha256: string | null;
  input: ModelInput;
  /** Seconds of audio one embedding stands for, and between consecutive windows. */
  windowSec: number;
  hopSec: number;
  outputs: {
    embedding: string;
    /** Per-class scores, or null. */
    scores: string | null;
    /** CSV (index,mid,display_name; header row) naming the score classes, or null. */
    classMapUrl: string | null;
    /** 'sigmoid' when the scores output holds logits (EfficientAT): the app shows sigmoid(logit). Absent = as given. */
    scoreActivation?: 'sigmoid';
  };
  /** Expected embedding size, or null to take what the model gives. */
  embeddingDim: number | null;
  license: string;
  description: string;
}

/** The built-in model (generated in code, no weights: src/embed/builtinModel.ts). */
export const BUILTIN_MANIFEST: ModelManifest = {
  manifestVersion: 1,
  id: 'earshot-builtin-v1',
  name: 'Earshot built-in (log-mel statistics and modulation)',
  source: { kind: 'builtin' },
  sha256: null,
  input: { kind: 'log_mel_patch', name: 'log_mel', frontend: { ...YAMNET_LOG_MEL } },
  windowSec: 0.96,
  hopSec: 0.48,
  outputs: { embedding: 'embedding', scores: null, classMapUrl: null },
  embeddingDim: 312,
  license: 'MIT (generated in code, no weights)',
  description: 'Band shape, cepstrum, spread, flux and modulation statistics of YAMNet log-mel patches.',
};

/** YAMNet as served from ../shared (models/yamnet/MODEL.md). */
export const YAMNET_MANIFEST: ModelManifest = {
  manifestVersion: 1,
  id: 'yamnet',
  name: 'YAMNet (AudioSet, 1024-d)',
  source: { kind: 'url', url: '/models/yamnet/yamnet.onnx' },
  sha256: '59b19032abecd7ed949b7c756c46c152a75c28a4f732afe2b83588de602700fd',
  input: { kind: 'log_mel_patch', name: 'log_mel', frontend: { ...YAMNET_LOG_MEL } },
  windowSec: 0.96,
  hopSec: 0.48,
  outputs: { embedding: 'embedding', scores: 'scores', classMapUrl: '/models/yamnet/yamnet_class_map.csv' },
  embeddingDim: 1024,
  license: 'Apache-2.0',
  description: "Google's AudioSet event classifier (MobileNet v1 body, 521 classes).",
};

/** EfficientAT mn04 as served from ../shared (models/efficientat-mn04/MODEL.md): the default model when present. */
export const EFFICIENTAT_MANIFEST: ModelManifest = {
  manifestVersion: 1,
  id: 'efficientat-mn04',
  name: 'EfficientAT mn04 (AudioSet, 384-d)',
  source: { kind: 'url', url: '/models/efficientat-mn04/mn04_as.onnx' },
  sha256: '41128e3ac1cc758c7bca89c2a2619d8c167bea4d01c5a4a31963c6fa26d81a04',
  input: { kind: 'log_mel_frames', name: 'logmel', frontend: 'efficientat-mn04' },
  windowSec: 0.96,
  hopSec: 0.48,
  outputs: {
    embedding: 'pooled384',
    scores: 'logits',
    classMapUrl: '/models/efficientat-mn04/class_labels_indices.csv',
    scoreActivation: 'sigmoid',
  },
  embeddingDim: 384,
  license: 'MIT',
  description:
    'Schmid, Koutini, Widmer (ICASSP 2023): MobileNetV3 width 0.4 distilled from PaSST on AudioSet (527 classes, mAP 0.432); one pass over a whole clip.',
};

/** The manifest of a YAMNet converted from its TFLite release (same interface as YAMNET_MANIFEST). */
export function yamnetFromTfliteManifest(fileName: string, sha256: string): ModelManifest {
  return {
    ...YAMNET_MANIFEST,
    id: 'yamnet-tflite',
    name: 'YAMNet (from TFLite, 1024-d)',
    source: { kind: 'file', fileName },
    sha256,
    description: `Converted in the browser from ${fileName} (pure TypeScript, int8 weights dequantised).`,
  };
}

// ------------------------------------------------------------------------------------------------
// Parsing untrusted JSON.

function bad(message: string): EarshotError {
  return new EarshotError('E_MODEL_MANIFEST', `model manifest: ${message}`);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(o: Record<string, unknown>, key: string, maxChars: number, required = true): string | null {
  const v = o[key];
  if (v === undefined || v === null) {
    if (required) throw bad(`"${key}" is missing`);
    return null;
  }
  if (typeof v !== 'string') throw bad(`"${key}" must be a string`);
  if (v.length > maxChars) throw bad(`"${key}" is longer than ${maxChars} characters`);
  if (required && v.trim() === '') throw bad(`"${key}" is empty`);
  return v;
}

function num(o: Record<string, unknown>, key: string, min: number, max: number): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) throw bad(`"${key}" must be a number`);
  if (v < min || v > max) throw bad(`"${key}" = ${v} is outside ${min}…${max}`);
  return v;
}

function url(v: string, key: string): string {
  const reason = unsafeUrlReason(v);
  if (reason !== null) throw bad(`"${key}": ${reason}`);
  return v;
}

const ID = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const HEX64 = /^[0-9a-f]{64}$/;

/** Only the documented keys; anything else is a typo worth reporting. */
function onlyKeys(o: Record<string, unknown>, allowed: readonly string[], where: string): void {
  for (const k of Object.keys(o)) if (!allowed.includes(k)) throw bad(`unknown key "${k}" in ${where}`);
}

/** Samples for a duration; the duration must land on a whole sample (within a microsecond). */
function samplesFor(sec: number, rateHz: number, key: string): number {
  const exact = sec * rateHz;
  const n = Math.round(exact);
  if (Math.abs(exact - n) > rateHz * 1e-6)
    throw bad(`"${key}" = ${sec} s is not a whole number of samples at ${rateHz} Hz`);
  return n;
}

function parseFrontend(v: unknown): LogMelFrontend {
  const f: LogMelFrontend = { ...YAMNET_LOG_MEL };
  if (v === undefined || v === 'yamnet') return f;
  if (!isRecord(v)) throw bad('"input.frontend" must be "yamnet" or an object of YAMNet log-mel parameters');
  onlyKeys(v, Object.keys(YAMNET_LOG_MEL), 'input.frontend');
  for (const key of Object.keys(YAMNET_LOG_MEL) as (keyof LogMelFrontend)[]) {
    if (v[key] === undefined) continue;
    const given = num(v, key, 0, 1e6);
    if (given !== YAMNET_LOG_MEL[key]) {
      throw bad(
        `input.frontend.${key} = ${given}, but Earshot computes only YAMNet's log-mel frontend (${key} = ${YAMNET_LOG_MEL[key]}); export the model with a waveform input instead`,
      );
    }
  }
  return f;
}

/**
 * Validates untrusted manifest JSON (already parsed, or text) and returns a normalised manifest.
 * Throws EarshotError('E_MODEL_MANIFEST') naming the first problem.
 */
export function parseManifest(json: unknown): ModelManifest {
  let value = json;
  if (typeof json === 'string') {
    if (json.length > MAX_MANIFEST_BYTES) throw bad(`larger than ${MAX_MANIFEST_BYTES / 1024} KB`);
    try {
      value = JSON.parse(json) as unknown;
    } catch (err) {
      throw bad(`not JSON (${err instanceof Error ? err.message : String(err)})`);
    }
  }
  if (!isRecord(value)) throw bad('must be a JSON object');
  const m = value;
  onlyKeys(
    m,
    [
      'manifestVersion',
      'id',
      'name',
      'source',
      'sha256',
      'input',
      'windowSec',
      'hopSec',
      'outputs',
      'embeddingDim',
      'license',
      'description',
    ],
    'the manifest',
  );
  if (m['manifestVersion'] !== MANIFEST_VERSION) throw bad(`"manifestVersion" must be ${MANIFEST_VERSION}`);
  const id = str(m, 'id', 64) ?? '';
  if (!ID.test(id)) throw bad(`"id" must match ${ID.source}`);
  const name = str(m, 'name', MAX_NAME_CHARS) ?? '';

  const src = m['source'];
  let source: ModelSource;
  if (src === 'builtin') source = { kind: 'builtin' };
  else if (isRecord(src) && typeof src['url'] === 'string') {
    onlyKeys(src, ['url'], 'source');
    source = { kind: 'url', url: url(str(src, 'url', 4096) ?? '', 'source.url') };
  } else if (isRecord(src) && typeof src['file'] === 'string') {
    onlyKeys(src, ['file'], 'source');
    source = { kind: 'file', fileName: str(src, 'file', MAX_NAME_CHARS) ?? '' };
  } else throw bad('"source" must be {"url": "..."} or {"file": "name.onnx"}');

  const shaRaw = str(m, 'sha256', 64, false);
  const sha256 = shaRaw === null ? null : shaRaw.toLowerCase();
  if (sha256 !== null && !HEX64.test(sha256)) throw bad('"sha256" must be 64 hex digits');

  const windowSec = num(m, 'windowSec', 0.001, MAX_WINDOW_SEC);
  const hopSec = num(m, 'hopSec', 0.001, MAX_WINDOW_SEC);

  const inp = m['input'];
  if (!isRecord(inp)) throw bad('"input" must be an object');
  const inputName = str(inp, 'name', MAX_NAME_CHARS) ?? '';
  let input: ModelInput;
  if (inp['kind'] === 'log_mel_frames') {
    onlyKeys(inp, ['kind', 'name', 'frontend'], 'input');
    if (inp['frontend'] !== 'efficientat-mn04')
      throw bad(
        '"input.frontend" of a log_mel_frames model must be "efficientat-mn04" (the one such frontend Earshot computes)',
      );
    if (Math.abs(windowSec - 0.96) > 1e-9 || Math.abs(hopSec - 0.48) > 1e-9)
      throw bad(`a log_mel_frames model has windowSec 0.96 and hopSec 0.48 (got ${windowSec} and ${hopSec})`);
    input = { kind: 'log_mel_frames', name: inputName, frontend: 'efficientat-mn04' };
  } else if (inp['kind'] === 'log_mel_patch') {
    onlyKeys(inp, ['kind', 'name', 'frontend'], 'input');
    const frontend = parseFrontend(inp['frontend']);
    const wantWindow = (frontend.patchFrames * frontend.stftHopSamples) / frontend.sampleRateHz;
    const wantHop = (frontend.patchHopFrames * frontend.stftHopSamples) / frontend.sampleRateHz;
    if (Math.abs(windowSec - wantWindow) > 1e-9 || Math.abs(hopSec - wantHop) > 1e-9) {
      throw bad(
        `a log_mel_patch model has windowSec ${wantWindow} and hopSec ${wantHop} (got ${windowSec} and ${hopSec})`,
      );
    }
    input = { kind: 'log_mel_patch', name: inputName, frontend };
  } else if (inp['kind'] === 'waveform') {
    onlyKeys(inp, ['kind', 'name', 'sampleRateHz'], 'input');
    const sampleRateHz = num(inp, 'sampleRateHz', MIN_SAMPLE_RATE_HZ, MAX_SAMPLE_RATE_HZ);
    if (!Number.isInteger(sampleRateHz)) throw bad('"input.sampleRateHz" must be a whole number');
    const windowSamples = samplesFor(windowSec, sampleRateHz, 'windowSec');
    const hopSamples = samplesFor(hopSec, sampleRateHz, 'hopSec');
    if (windowSamples < 16) throw bad(`a ${windowSamples}-sample window is too short`);
    if (hopSamples < 1) throw bad('"hopSec" is shorter than one sample');
    input = { kind: 'waveform', name: inputName, sampleRateHz, windowSamples, hopSamples };
  } else throw bad('"input.kind" must be "log_mel_patch", "log_mel_frames" or "waveform"');

  const out = m['outputs'];
  if (!isRecord(out)) throw bad('"outputs" must be an object');
  onlyKeys(out, ['embedding', 'scores', 'classMapUrl', 'scoreActivation'], 'outputs');
  const embedding = str(out, 'embedding', MAX_NAME_CHARS) ?? '';
  const scores = str(out, 'scores', MAX_NAME_CHARS, false);
  const classMapRaw = str(out, 'classMapUrl', 4096, false);
  const classMapUrl = classMapRaw === null ? null : url(classMapRaw, 'outputs.classMapUrl');
  if (classMapUrl !== null && scores === null) throw bad('"outputs.classMapUrl" needs "outputs.scores"');
  if (scores !== null && scores === embedding) throw bad('"outputs.scores" and "outputs.embedding" must differ');
  const activation = out['scoreActivation'];
  if (activation !== undefined && activation !== null && activation !== 'sigmoid')
    throw bad('"outputs.scoreActivation" must be "sigmoid" or absent');
  if (activation === 'sigmoid' && scores === null) throw bad('"outputs.scoreActivation" needs "outputs.scores"');

  const dimRaw = m['embeddingDim'];
  const embeddingDim = dimRaw === undefined || dimRaw === null ? null : num(m, 'embeddingDim', 1, MAX_EMBEDDING_DIM);
  if (embeddingDim !== null && !Number.isInteger(embeddingDim)) throw bad('"embeddingDim" must be a whole number');
  const license = str(m, 'license', MAX_NAME_CHARS) ?? '';
  const description = str(m, 'description', MAX_TEXT_CHARS, false) ?? '';

  return {
    manifestVersion: 1,
    id,
    name,
    source,
    sha256,
    input,
    windowSec,
    hopSec,
    outputs: {
      embedding,
      scores,
      classMapUrl,
      ...(activation === 'sigmoid' ? { scoreActivation: 'sigmoid' as const } : {}),
    },
    embeddingDim,
    license,
    description,
  };
}

/** The JSON form of a manifest (what parseManifest reads back). */
export function manifestToJson(m: ModelManifest): Record<string, unknown> {
  const input =
    m.input.kind === 'log_mel_patch' || m.input.kind === 'log_mel_frames'
      ? { kind: m.input.kind, name: m.input.name, frontend: m.input.frontend }
      : { kind: m.input.kind, name: m.input.name, sampleRateHz: m.input.sampleRateHz };
  const source =
    m.source.kind === 'builtin'
      ? 'builtin'
      : m.source.kind === 'url'
        ? { url: m.source.url }
        : { file: m.source.fileName };
  return {
    manifestVersion: m.manifestVersion,
    id: m.id,
    name: m.name,
    source,
    sha256: m.sha256,
    input,
    windowSec: m.windowSec,
    hopSec: m.hopSec,
    outputs: m.outputs,
    embeddingDim: m.embeddingDim,
    license: m.license,
    description: m.description,
  };
}

// ------------------------------------------------------------------------------------------------
// Manifest vs model.

/** Values the model's input holds per window: 96×64 for log-mel patches, 96×128 for log-mel frames, windowSamples for waveforms. */
export function valuesPerWindow(m: ModelManifest): number {
  if (m.input.kind === 'log_mel_frames') return EFFICIENTAT_LOG_MEL.windowFrames * EFFICIENTAT_LOG_MEL.melBands;
  return m.input.kind === 'log_mel_patch'
    ? m.input.frontend.patchFrames * m.input.frontend.melBands
    : m.input.windowSamples;
}

/** Log-mel bands per frame of a model's features (frame-major windows), or null for a waveform model. */
export function melBandsOf(m: ModelManifest): number | null {
  if (m.input.kind === 'log_mel_frames') return EFFICIENTAT_LOG_MEL.melBands;
  return m.input.kind === 'log_mel_patch' ? m.input.frontend.melBands : null;
}

/** The shape Earshot feeds, with 'batch' for the batch dimension. */
export function expectedInputShape(m: ModelManifest): string {
  if (m.input.kind === 'log_mel_frames') return `[batch, 1, ${EFFICIENTAT_LOG_MEL.melBands}, frames]`;
  return m.input.kind === 'log_mel_patch'
    ? `[batch, ${m.input.frontend.patchFrames}, ${m.input.frontend.melBands}]`
    : `[batch, ${m.input.windowSamples}] (${m.windowSec} s at ${m.input.sampleRateHz} Hz)`;
}

export interface InputPlan {
  /** Shape to feed for `batch` windows: the model's own non-batch dims after the batch. */
  dims: (batch: number) => number[];
  /** A fixed batch size the model insists on, or null for a dynamic batch. */
  fixedBatch: number | null;
}

function fixed(d: OnnxDim): number | null {
  return typeof d === 'number' && d > 0 ? d : null;
}

/**
 * Checks the model's declared interface against the manifest. Returns how to shape the input, or
 * throws E_MODEL_SHAPE saying exactly what does not fit.
 */
export function checkModelAgainstManifest(info: OnnxModelInfo, m: ModelManifest): InputPlan {
  const fail = (msg: string) => new EarshotError('E_MODEL_SHAPE', `${m.name}: ${msg}`);
  const names = (list: OnnxValueInfo[]) => list.map((v) => `"${v.name}" ${formatShape(v.shape)}`).join(', ');
  const input = info.inputs.find((v) => v.name === m.input.name);
  if (!input) throw fail(`the model has no input "${m.input.name}" (it has ${names(info.inputs)})`);
  if (info.inputs.length > 1)
    throw fail(`the model has ${info.inputs.length} inputs (${names(info.inputs)}); Earshot feeds exactly one`);
  if (input.elemType !== 'float32') throw fail(`input "${input.name}" is ${input.elemType}; Earshot feeds float32`);
  const want = valuesPerWindow(m);
  const shape = input.shape;
  let plan: InputPlan;
  if (shape === null) {
    plan = {
      dims: (b) =>
        m.input.kind === 'log_mel_frames'
          ? [b, 1, EFFICIENTAT_LOG_MEL.melBands, EFFICIENTAT_LOG_MEL.windowFrames]
          : m.input.kind === 'log_mel_patch'
            ? [b, m.input.frontend.patchFrames, m.input.frontend.melBands]
            : [b, want],
      fixedBatch: null,
    };
  } else {
    if (shape.length < 2)
      throw fail(`input "${input.name}" has shape ${formatShape(shape)}; Earshot feeds ${expectedInputShape(m)}`);
    const rest = shape.slice(1);
    const restFixed = rest.map(fixed);
    const known = restFixed.every((d) => d !== null);
    const product = restFixed.reduce<number>((a, d) => a * (d ?? 1), 1);
    const free = restFixed.filter((d) => d === null).length;
    // log_mel_frames: [1, 128, frames] with frames dynamic (clips of any length) or at least one window long.
    const framesOk = (d: number | null) => d === null || d === EFFICIENTAT_LOG_MEL.windowFrames;
    const fits =
      m.input.kind === 'log_mel_frames'
        ? rest.length === 3 &&
          restFixed[0] === 1 &&
          restFixed[1] === EFFICIENTAT_LOG_MEL.melBands &&
          framesOk(restFixed[2] ?? null)
        : m.input.kind === 'log_mel_patch'
          ? known &&
            rest.length === 2 &&
            restFixed[0] === m.input.frontend.patchFrames &&
            restFixed[1] === m.input.frontend.melBands
          : (known && product === want) || (free === 1 && want % product === 0);
    if (!fits) {
      throw fail(
        `input "${input.name}" has shape ${formatShape(shape)}, but the manifest asks for ${expectedInputShape(m)}`,
      );
    }
    const restDims =
      m.input.kind === 'log_mel_frames'
        ? [1, EFFICIENTAT_LOG_MEL.melBands, EFFICIENTAT_LOG_MEL.windowFrames]
        : restFixed.map((d) => d ?? want / product);
    plan = { dims: (b) => [b, ...restDims], fixedBatch: fixed(shape[0] ?? null) };
  }
  const outNames = info.outputs.map((o) => o.name);
  for (const [what, name] of [
    ['embedding', m.outputs.embedding],
    ['scores', m.outputs.scores],
  ] as const) {
    if (name === null) continue;
    const o = info.outputs.find((v) => v.name === name);
    if (!o)
      throw fail(
        `the model has no output "${name}" for ${what} (outputs: ${outNames.map((n) => `"${n}"`).join(', ')})`,
      );
    if (o.elemType !== 'float32') throw fail(`output "${name}" is ${o.elemType}; Earshot reads float32`);
    if (what === 'embedding' && m.embeddingDim !== null && o.shape !== null) {
      const per = o.shape.slice(1).map(fixed);
      if (per.every((d) => d !== null)) {
        const dim = per.reduce<number>((a, d) => a * (d ?? 1), 1);
        if (dim !== m.embeddingDim)
          throw fail(
            `output "${name}" has shape ${formatShape(o.shape)}: ${dim} values per window, the manifest says ${m.embeddingDim}`,
          );
      }
    }
  }
  return plan;
}

/** A starting manifest for a model that came without one: names and shapes read from the model. */
export function draftManifest(info: OnnxModelInfo, fileName: string): { manifest: ModelManifest; guessed: string[] } {
  const guessed: string[] = [];
  const input = info.inputs[0];
  const shape = input?.shape ?? null;
  const rest = shape ? shape.slice(1).map(fixed) : [];
  const base = fileName.replace(/\.onnx$/i, '');
  const id =
    base
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, '-')
      .replace(/^[^a-z0-9]+/, '')
      .slice(0, 64) || 'my-model';
  let inp: ModelInput;
  let windowSec = 0.96;
  let hopSec = 0.48;
  if (rest.length === 3 && rest[0] === 1 && rest[1] === 128) {
    inp = { kind: 'log_mel_frames', name: input?.name ?? 'input', frontend: 'efficientat-mn04' };
  } else if (rest.length === 2 && rest[0] === 96 && rest[1] === 64) {
    inp = { kind: 'log_mel_patch', name: input?.name ?? 'input', frontend: { ...YAMNET_LOG_MEL } };
  } else {
    const samples = rest.reduce<number>((a, d) => a * (d ?? 1), 1);
    const sampleRateHz = 16000;
    const windowSamples = rest.length > 0 && rest.every((d) => d !== null) ? samples : 15600;
    windowSec = windowSamples / sampleRateHz;
    hopSec = windowSec / 2;
    const hopSamples = Math.round(hopSec * sampleRateHz);
    hopSec = hopSamples / sampleRateHz;
    inp = { kind: 'waveform', name: input?.name ?? 'input', sampleRateHz, windowSamples, hopSamples };
    guessed.push('sample rate', 'hop');
  }
  const emb = info.outputs.find((o) => /embed/i.test(o.name)) ?? info.outputs[0];
  const sc = info.outputs.find((o) => o !== emb && /score|logit|prob|class/i.test(o.name)) ?? null;
  const embDims = emb?.shape?.slice(1).map(fixed) ?? [];
  const embeddingDim =
    embDims.length > 0 && embDims.every((d) => d !== null) ? embDims.reduce<number>((a, d) => a * (d ?? 1), 1) : null;
  return {
    manifest: {
      manifestVersion: 1,
      id,
      name: base,
      source: { kind: 'file', fileName },
      sha256: null,
      input: inp,
      windowSec,
      hopSec,
      outputs: { embedding: emb?.name ?? 'embedding', scores: sc?.name ?? null, classMapUrl: null },
      embeddingDim,
      license: 'unknown',
      description: '',
    },
    guessed,
  };
}
