// Groups decoded files by sample rate and channel count so that many small files share one OfflineAudioContext
// and worklet render (src/audio/features.ts featuresForBatch); main-thread bookkeeping only, holds only the
// files waiting for their batch.

export interface BatchItem {
  index: number;
  buffer: AudioBuffer;
}

export interface BatchLimits {
  /** Files per render at most. */
  files: number;
  /** Seconds of audio per render at most: a file this long or longer is rendered alone. */
  seconds: number;
}

/** A batch amortises a context and a module load (~15 ms) over many clips; 64 × 0.5 s clips render in well under a second. */
export const DEFAULT_BATCH_LIMITS: BatchLimits = { files: 64, seconds: 60 };

export class FeatureBatcher {
  private readonly groups = new Map<string, { items: BatchItem[]; seconds: number }>();

  constructor(
    private readonly render: (items: BatchItem[]) => Promise<void>,
    private readonly limits: BatchLimits = DEFAULT_BATCH_LIMITS,
  ) {}

  /** Files waiting for their batch. */
  get waiting(): number {
    let n = 0;
    for (const g of this.groups.values()) n += g.items.length;
    return n;
  }

  /**
   * Adds a decoded file. When its group is full the group is rendered and the caller waits for it: that
   * wait is the back-pressure that keeps decoding at most a batch ahead of the worklet.
   */
  async add(item: BatchItem): Promise<void> {
    const { buffer } = item;
    if (buffer.duration >= this.limits.seconds) return this.render([item]);
    const key = `${buffer.sampleRate}/${buffer.numberOfChannels}`;
    let group = this.groups.get(key);
    if (!group) {
      group = { items: [], seconds: 0 };
      this.groups.set(key, group);
    }
    group.items.push(item);
    group.seconds += buffer.duration;
    if (group.items.length >= this.limits.files || group.seconds >= this.limits.seconds) {
      this.groups.delete(key);
      await this.render(group.items);
    }
  }

  /** Renders every partly filled group (after the last file is decoded). */
  async flush(): Promise<void> {
    for (const [key, group] of [...this.groups]) {
      this.groups.delete(key);
      await this.render(group.items);
    }
  }

  /** Forgets waiting files (cancel). */
  clear(): void {
    this.groups.clear();
  }
}
