// Averages channels into mono (worklet render blocks or whole buffers); pure: no DOM, no Node, no allocation in mixdownInto.

/**
 * output[i] = mean over channels of channels[c][i], for i < frameCount.
 * No channels (an unconnected AudioWorklet input) gives silence. Every channel needs frameCount samples.
 */
export function mixdownInto(channels: readonly Float32Array[], output: Float32Array, frameCount = output.length): void {
  if (frameCount > output.length)
    throw new RangeError(`mixdownInto: output holds ${output.length} < ${frameCount} frames`);
  const channelCount = channels.length;
  for (let c = 0; c < channelCount; c++) {
    if (channels[c]!.length < frameCount) {
      throw new RangeError(`mixdownInto: channel ${c} holds ${channels[c]!.length} < ${frameCount} frames`);
    }
  }
  if (channelCount === 0) {
    output.fill(0, 0, frameCount);
    return;
  }
  const first = channels[0]!;
  if (channelCount === 1) {
    if (first !== output) for (let i = 0; i < frameCount; i++) output[i] = first[i]!;
    return;
  }
  if (channelCount === 2) {
    const second = channels[1]!;
    for (let i = 0; i < frameCount; i++) output[i] = 0.5 * (first[i]! + second[i]!);
    return;
  }
  // Sum in float64 per sample so the result does not depend on channel order rounding in float32.
  const scale = 1 / channelCount;
  for (let i = 0; i < frameCount; i++) {
    let sum = 0;
    for (let c = 0; c < channelCount; c++) sum += channels[c]![i]!;
    output[i] = sum * scale;
  }
}

/** Whole-buffer mono mixdown; all channels must have the same length. */
export function mixdown(channels: readonly Float32Array[]): Float32Array {
  if (channels.length === 0) return new Float32Array(0);
  const frameCount = channels[0]!.length;
  for (let c = 1; c < channels.length; c++) {
    if (channels[c]!.length !== frameCount) {
      throw new RangeError(`mixdown: channel ${c} has ${channels[c]!.length} frames, channel 0 has ${frameCount}`);
    }
  }
  const out = new Float32Array(frameCount);
  mixdownInto(channels, out, frameCount);
  return out;
}
