import { describe, expect, it } from 'vitest';
import { duplicatesSentence, findDuplicates, pointGroups } from './duplicates.ts';

const file = (index: number, contentHash: string | null, status: 'done' | 'failed' = 'done') => ({
  index,
  contentHash,
  status,
});

describe('exact copies', () => {
  it('groups files by content hash, leaving out unhashed and failed files', () => {
    const d = findDuplicates([
      file(0, 'a'),
      file(1, 'b'),
      file(2, 'a'),
      file(3, null),
      file(4, 'c'),
      file(5, 'b'),
      file(6, 'a'),
      file(7, 'c', 'failed'),
      file(8, null),
    ]);
    expect(d.groups).toEqual([
      [0, 2, 6],
      [1, 5],
    ]);
    expect(Array.from(d.groupOfFile)).toEqual([0, 1, 0, -1, -1, 1, 0, -1, -1]);
    expect(d.copies).toBe(3);
    expect(duplicatesSentence(d)).toBe('3 files are exact copies of 2 others');
    expect(duplicatesSentence(findDuplicates([file(0, 'x'), file(1, 'x')]))).toBe('1 file is an exact copy of 1 other');
    expect(duplicatesSentence(findDuplicates([file(0, 'x'), file(1, 'y')]))).toBeNull();
  });

  it('gives copies one cross-validation group and every other file its own (its windows together)', () => {
    const d = findDuplicates([file(0, 'a'), file(1, 'b'), file(2, 'a')]);
    // Points: two windows of file 0, one of file 1, two of file 2.
    const fileOf = [0, 0, 1, 2, 2];
    expect(Array.from(pointGroups(d, 5, (p) => fileOf[p]!))).toEqual([0, 0, 2, 0, 0]);
  });
});
