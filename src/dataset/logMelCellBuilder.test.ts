// Tests SpriteAtlas.beginLogMel: a cell built from frames pushed in pieces is pixel-identical to addLogMel on all of them.
import { describe, expect, it } from 'vitest';
import { LOG_MEL_FLOOR, SpriteAtlas } from './spriteAtlas.ts';
import { createRng } from '../lib/prng.ts';

describe('LogMelCellBuilder', () => {
  it('equals addLogMel for pooled, exact and stretched frame counts, whatever the pieces', () => {
    const rng = createRng(5);
    for (const frameCount of [1, 10, 96, 97, 1000, 60_000]) {
      const bands = 64;
      const frames = Float32Array.from({ length: frameCount * bands }, () => LOG_MEL_FLOOR + rng() * 9);
      if (frameCount > 20) frames[17 * bands + 3] = Number.NaN; // non-finite counts as silence in both
      const whole = new SpriteAtlas();
      const streamed = new SpriteAtlas();
      const a = whole.addLogMel(frames, frameCount, bands);
      const builder = streamed.beginLogMel(frameCount, bands);
      for (let f = 0; f < frameCount;) {
        const n = Math.min(frameCount - f, 1 + Math.floor(rng() * 120));
        builder.push(frames.subarray(f * bands, (f + n) * bands), n);
        f += n;
      }
      const b = builder.finish();
      expect(b).toBe(a);
      expect(streamed.getCellRGBA(b)).toEqual(whole.getCellRGBA(a));
    }
  });

  it('refuses too many frames and an early finish', () => {
    const builder = new SpriteAtlas().beginLogMel(4, 2);
    builder.push(new Float32Array(6), 3);
    expect(() => builder.finish()).toThrow(/3 of 4/);
    expect(() => builder.push(new Float32Array(4), 2)).toThrow(RangeError);
  });
});
