import { describe, expect, it } from 'vitest';
import { defaultClusterCount, distinctNames } from './clusterNames.ts';

describe('cluster names', () => {
  it('names by the top two classes, and no two clusters alike', () => {
    expect(
      distinctNames([
        ['Insect', 'Cricket', 'Buzz'],
        ['Insect', 'Cricket', 'Bee'],
        ['Rain', 'Water'],
        ['Insect', 'Cricket', 'Buzz'],
        ['Wind'],
      ]),
    ).toEqual(['Insect, Cricket #1', 'Insect, Cricket · Bee', 'Rain, Water', 'Insect, Cricket #2', 'Wind']);
    const names = distinctNames(Array.from({ length: 6 }, () => ['Speech', 'Music']));
    expect(new Set(names).size).toBe(6);
  });

  it('starts k-means at the number of labels, else near √(n/2)', () => {
    expect(defaultClusterCount(96, 9)).toBe(9);
    expect(defaultClusterCount(1000, 0)).toBe(20);
    expect(defaultClusterCount(50, 1)).toBe(5);
    expect(defaultClusterCount(3, 0)).toBe(2);
  });
});
