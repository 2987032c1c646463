// A stream's log-mel frames rebuilt from its 96-frame windows at hop 48 (YAMNet's patches and EfficientAT's windows
// tile frames the same way); pure: no DOM, no Node.

/** Window 0's 96 frames, then the 48 new frames of each next window: (96 + 48 · (count − 1)) × bands, frame-major. */
export function framesFromWindows(
  windows: Float32Array,
  count: number,
  bands: number,
): { frames: Float32Array; frameCount: number } {
  if (count <= 0) return { frames: new Float32Array(0), frameCount: 0 };
  const values = 96 * bands;
  const frameCount = 96 + 48 * (count - 1);
  const frames = new Float32Array(frameCount * bands);
  frames.set(windows.subarray(0, values), 0);
  for (let i = 1; i < count; i++)
    frames.set(windows.subarray(i * values + 48 * bands, (i + 1) * values), (96 + 48 * (i - 1)) * bands);
  return { frames, frameCount };
}
