// A least-recently-used set of decoded audio, bounded by bytes: dropped files' AudioBuffers are kept for hover
// playback only while they fit; pure bookkeeping (no Web Audio), evicted entries are decoded again on demand.

/** Decoded audio kept per map (float32 samples × channels); more is decoded again from the file when hovered. */
export const DECODED_AUDIO_BUDGET_BYTES = 256 * 1024 * 1024;

/** Bytes an AudioBuffer holds: float32 per sample per channel. */
export function decodedBytes(b: { length: number; numberOfChannels: number }): number {
  return b.length * b.numberOfChannels * 4;
}

export class DecodedLru<T> {
  private readonly entries = new Map<number, { value: T; bytes: number }>();
  private total = 0;
  constructor(readonly budgetBytes = DECODED_AUDIO_BUDGET_BYTES) {}

  get bytes(): number {
    return this.total;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The value, now the most recently used; undefined when absent. */
  get(key: number): T | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    this.entries.delete(key);
    this.entries.set(key, e);
    return e.value;
  }

  has(key: number): boolean {
    return this.entries.has(key);
  }

  /** Adds (or refreshes) `key` and returns the keys evicted to stay within budget; the newest entry always stays. */
  put(key: number, value: T, bytes: number): number[] {
    this.delete(key);
    this.entries.set(key, { value, bytes });
    this.total += bytes;
    const evicted: number[] = [];
    for (const [k, e] of this.entries) {
      if (this.total <= this.budgetBytes || k === key) break;
      this.entries.delete(k);
      this.total -= e.bytes;
      evicted.push(k);
    }
    return evicted;
  }

  delete(key: number): void {
    const e = this.entries.get(key);
    if (!e) return;
    this.entries.delete(key);
    this.total -= e.bytes;
  }
}
