// Content sniffing for a JSON file opened by URL: native manifest, scatter-sounds config or projector config; pure, must not fetch or validate beyond the shape.
import { EarshotError } from '../../lib/errors.ts';
import { NATIVE_MAGIC } from './native.ts';
import { looksLikeProjectorConfig } from './projector.ts';
import { looksLikeScatterSoundsConfig, looksLikeScatterSoundsProjections } from './scatterSounds.ts';
import { isRecord, own } from './restore.ts';

export type DatasetKind = 'native' | 'scatter-sounds' | 'projector';

/** Which reader fits this JSON, or null. Only the shape is looked at; the reader validates the rest. */
export function detectDatasetKind(json: unknown): DatasetKind | null {
  if (!isRecord(json)) return null;
  if (own(json, 'magic') === NATIVE_MAGIC) return 'native';
  if (looksLikeScatterSoundsConfig(json)) return 'scatter-sounds';
  if (looksLikeProjectorConfig(json)) return 'projector';
  return null;
}

/** Why this JSON is not a dataset, in words for the user (a hint when it is a part of one). */
export function notADatasetMessage(json: unknown): string {
  const head = 'This file is not a dataset Earshot can open.';
  const expected =
    'Expected an Earshot dataset manifest ("magic": "earshot-dataset"), a scatter-sounds NAME_config.json, or an Embedding Projector config (projector_config.json).';
  if (Array.isArray(json)) return `${head} It is a JSON array. ${expected}`;
  if (!isRecord(json)) return `${head} It is a JSON ${json === null ? 'null' : typeof json}. ${expected}`;
  if (typeof own(json, 'magic') === 'string')
    return `${head} Its "magic" is ${JSON.stringify(String(own(json, 'magic')).slice(0, 64))}, not "${NATIVE_MAGIC}".`;
  if (looksLikeScatterSoundsProjections(json)) {
    return `${head} It looks like a scatter-sounds projections file: open the dataset's NAME_config.json instead (it names the audio and sprite too).`;
  }
  if (Array.isArray(own(json, 'embeddings'))) {
    return `${head} It has an "embeddings" list, but its entries have no "tensorPath", so it is not a usable projector config.`;
  }
  return `${head} ${expected}`;
}

/** detectDatasetKind, throwing E_NOT_A_DATASET with notADatasetMessage when nothing fits. */
export function requireDatasetKind(json: unknown): DatasetKind {
  const kind = detectDatasetKind(json);
  if (kind === null) throw new EarshotError('E_NOT_A_DATASET', notADatasetMessage(json));
  return kind;
}
