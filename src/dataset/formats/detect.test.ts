// Unit tests for dataset content sniffing and its "not a dataset" messages; Node only, no DOM.
import { describe, expect, it } from 'vitest';
import { EarshotError } from '../../lib/errors.ts';
import { detectDatasetKind, notADatasetMessage, requireDatasetKind } from './detect.ts';

describe('detectDatasetKind', () => {
  it('recognises each format by shape', () => {
    expect(detectDatasetKind({ magic: 'earshot-dataset', version: 7 })).toBe('native');
    expect(
      detectDatasetKind({ audioFile: './data/x.flac', projectionsFile: './data/x_projections.json', imgDim: 150 }),
    ).toBe('scatter-sounds');
    expect(detectDatasetKind({ embeddings: [{ tensorPath: 'v.tsv' }] })).toBe('projector');
  });
  it('returns null for anything else, including inherited keys', () => {
    for (const v of [
      null,
      3,
      'x',
      [],
      {},
      { magic: 'other' },
      { embeddings: [] },
      { embeddings: [{ metadataPath: 'm.tsv' }] },
      { audioFile: 'x' },
    ]) {
      expect(detectDatasetKind(v)).toBeNull();
    }
    expect(detectDatasetKind(Object.create({ magic: 'earshot-dataset' }))).toBeNull();
  });
  it('explains why, with a hint for parts of a dataset', () => {
    expect(notADatasetMessage([1])).toMatch(/It is a JSON array/);
    expect(notADatasetMessage(null)).toMatch(/It is a JSON null/);
    expect(notADatasetMessage({ magic: 'zip' })).toMatch(/Its "magic" is "zip", not "earshot-dataset"/);
    expect(notADatasetMessage({ idx: [0], projections: [[0, 0, 0]] })).toMatch(
      /scatter-sounds projections file: open the dataset's NAME_config.json/,
    );
    expect(notADatasetMessage({ embeddings: [{}] })).toMatch(/no "tensorPath"/);
    expect(notADatasetMessage({ a: 1 })).toMatch(/Expected an Earshot dataset manifest/);
  });
  it('requireDatasetKind throws E_NOT_A_DATASET', () => {
    expect(requireDatasetKind({ magic: 'earshot-dataset' })).toBe('native');
    try {
      requireDatasetKind({});
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(EarshotError);
      expect((err as EarshotError).code).toBe('E_NOT_A_DATASET');
    }
  });
});
