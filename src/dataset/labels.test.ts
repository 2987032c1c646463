import { describe, expect, it } from 'vitest';
import { labelFromPath, splitPath } from './labels.ts';

describe('labelFromPath', () => {
  it('reads ESC-50 targets from the last number', () => {
    expect(labelFromPath('insects/audio/1-100-A-0.wav')).toEqual({ label: 'target 0', source: 'esc50' });
    expect(labelFromPath('2-102-J-2.wav')).toEqual({ label: 'target 2', source: 'esc50' });
    expect(labelFromPath('5-9032-A-49.ogg')).toEqual({ label: 'target 49', source: 'esc50' });
  });
  it('reads UrbanSound8K class ids', () => {
    expect(labelFromPath('fold1/101415-3-0-2.wav')).toEqual({ label: 'dog_bark', source: 'urbansound8k' });
    expect(labelFromPath('7061-6-0-0.wav')).toEqual({ label: 'gun_shot', source: 'urbansound8k' });
  });
  it('falls back to the parent folder, skipping generic folder names', () => {
    expect(labelFromPath('calls/orca/clip 1.flac')).toEqual({ label: 'orca', source: 'folder' });
    expect(labelFromPath('humpback/audio/x.wav')).toEqual({ label: null, source: 'none' });
    expect(labelFromPath('x.wav')).toEqual({ label: null, source: 'none' });
  });
  it('splits both slash kinds', () => {
    expect(splitPath('a\\b/c.wav')).toEqual({ folders: ['a', 'b'], fileName: 'c.wav' });
  });
});
