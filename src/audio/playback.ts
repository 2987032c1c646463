// Hover playback from already-decoded AudioBuffers at their original rate: no re-decode, a short fade
// against clicks, one voice at a time, optional loop, a playback rate (time expansion / speed-up). Main-thread only.

export interface PlaybackRecord {
  pointIndex: number;
  fileIndex: number;
  /** Seconds into the file (not the buffer, which may hold only a span of it). */
  offsetSec: number;
  /** Seconds of recording played (at rate r it lasts durationSec / r of wall time). */
  durationSec: number;
  playbackRate: number;
  loop: boolean;
  /** From the request to the source being scheduled, plus the context's own output latency. */
  startLatencyMs: number;
  contextState: AudioContextState;
  /** performance.now() when the source was scheduled. */
  atMs: number;
}

const FADE_SEC = 0.005;

export class HoverPlayer {
  private ctx: AudioContext | null = null;
  private current: {
    source: AudioBufferSourceNode;
    gain: GainNode;
    startCtxSec: number;
    fileStartSec: number;
    durationSec: number;
    rate: number;
    loop: boolean;
  } | null = null;
  last: PlaybackRecord | null = null;
  private rateValue = 1;
  private readonly listeners = new Set<() => void>();

  /** Called whenever a sound starts or stops (the map's marker on the point that plays); returns the unsubscribe. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }

  /** Playback rate, 1/16 … 16 (time expansion for ultrasound, speed-up for infrasound); applies to what plays now too. */
  get rate(): number {
    return this.rateValue;
  }

  set rate(r: number) {
    const rate = Math.max(1 / 16, Math.min(16, Number.isFinite(r) ? r : 1));
    this.rateValue = rate;
    const cur = this.current;
    if (!cur || !this.ctx || cur.rate === rate) return;
    const now = this.ctx.currentTime;
    // Buffer seconds already played; re-anchor the start so positionSec() stays continuous across the change.
    const played = Math.max(0, (now - cur.startCtxSec) * cur.rate);
    cur.source.playbackRate.setValueAtTime(rate, now);
    cur.startCtxSec = now - played / rate;
    cur.rate = rate;
    if (this.last) this.last = { ...this.last, playbackRate: rate };
    if (!cur.loop) {
      // start()'s duration counts buffer seconds, so the source still ends right; the fade-out runs in wall seconds.
      const leftWallSec = Math.max(0, cur.durationSec - played) / rate;
      const g = cur.gain.gain;
      g.cancelScheduledValues(now);
      g.setValueAtTime(g.value, now);
      g.linearRampToValueAtTime(1, now + FADE_SEC);
      g.setValueAtTime(1, now + Math.max(FADE_SEC, leftWallSec - FADE_SEC));
      g.linearRampToValueAtTime(0, now + Math.max(FADE_SEC, leftWallSec));
    }
  }

  private context(): AudioContext {
    if (!this.ctx) this.ctx = new AudioContext({ latencyHint: 'interactive' });
    if (this.ctx.state === 'suspended') void this.ctx.resume();
    return this.ctx;
  }

  /** Call from a user gesture so later hovers can play without one. */
  unlock(): void {
    this.context();
  }

  /** `bufferStartSec`: where sample 0 of `buffer` sits in its file (a span read from a long recording). */
  play(
    buffer: AudioBuffer,
    offsetSec: number,
    durationSec: number,
    loop: boolean,
    pointIndex: number,
    fileIndex: number,
    bufferStartSec = 0,
  ): PlaybackRecord {
    const t0 = performance.now();
    const ctx = this.context();
    this.stop();
    const rate = Math.max(1 / 16, Math.min(16, this.rate));
    const source = new AudioBufferSourceNode(ctx, { buffer, loop, playbackRate: rate });
    const gain = new GainNode(ctx, { gain: 0 });
    source.connect(gain).connect(ctx.destination);
    const now = ctx.currentTime;
    const start = Math.max(0, Math.min(offsetSec, buffer.duration));
    const dur = Math.max(0.01, Math.min(durationSec, buffer.duration - start));
    // start()'s duration counts buffer seconds; the gain envelope runs in context (wall) seconds.
    const wallSec = dur / rate;
    gain.gain.setValueAtTime(0, now);
    gain.gain.linearRampToValueAtTime(1, now + FADE_SEC);
    if (loop) {
      source.loopStart = start;
      source.loopEnd = start + dur;
      source.start(now, start);
    } else {
      gain.gain.setValueAtTime(1, now + Math.max(FADE_SEC, wallSec - FADE_SEC));
      gain.gain.linearRampToValueAtTime(0, now + wallSec);
      source.start(now, start, dur);
    }
    this.current = {
      source,
      gain,
      startCtxSec: now,
      fileStartSec: bufferStartSec + start,
      durationSec: dur,
      rate,
      loop,
    };
    source.onended = () => {
      if (this.current?.source !== source) return;
      this.current = null;
      this.changed();
    };
    const latencyMs = performance.now() - t0 + (ctx.baseLatency + (ctx.outputLatency || 0)) * 1000;
    this.last = {
      pointIndex,
      fileIndex,
      offsetSec: bufferStartSec + start,
      durationSec: dur,
      playbackRate: rate,
      loop,
      startLatencyMs: latencyMs,
      contextState: ctx.state,
      atMs: performance.now(),
    };
    this.changed();
    return this.last;
  }

  stop(): void {
    const cur = this.current;
    if (!cur || !this.ctx) return;
    const now = this.ctx.currentTime;
    cur.gain.gain.cancelScheduledValues(now);
    cur.gain.gain.setValueAtTime(cur.gain.gain.value, now);
    cur.gain.gain.linearRampToValueAtTime(0, now + FADE_SEC);
    cur.source.stop(now + FADE_SEC);
    this.current = null;
    this.changed();
  }

  /** Where in its file the sound now playing is (seconds), or null when nothing plays. */
  positionSec(): { fileIndex: number; sec: number } | null {
    const cur = this.current;
    if (!cur || !this.ctx || !this.last) return null;
    const played = Math.max(0, (this.ctx.currentTime - cur.startCtxSec) * cur.rate);
    if (!cur.loop && played > cur.durationSec) return null;
    return { fileIndex: this.last.fileIndex, sec: cur.fileStartSec + (cur.loop ? played % cur.durationSec : played) };
  }

  /** The map point whose sound plays now, or -1 (nothing, or a whole recording from a time). */
  playingPoint(): number {
    return this.current && this.last ? this.last.pointIndex : -1;
  }

  get playing(): boolean {
    return this.current !== null;
  }
}
