// Hover playback from already-decoded AudioBuffers at their original rate: no re-decode, a short fade
// against clicks, one voice at a time, optional loop. Main-thread only.

export interface PlaybackRecord {
  pointIndex: number;
  fileIndex: number;
  offsetSec: number;
  durationSec: number;
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
  private current: { source: AudioBufferSourceNode; gain: GainNode } | null = null;
  last: PlaybackRecord | null = null;

  private context(): AudioContext {
    if (!this.ctx) this.ctx = new AudioContext({ latencyHint: 'interactive' });
    if (this.ctx.state === 'suspended') void this.ctx.resume();
    return this.ctx;
  }

  /** Call from a user gesture so later hovers can play without one. */
  unlock(): void {
    this.context();
  }

  play(buffer: AudioBuffer, offsetSec: number, durationSec: number, loop: boolean, pointIndex: number, fileIndex: number): PlaybackRecord {
    const t0 = performance.now();
    const ctx = this.context();
    this.stop();
    const source = new AudioBufferSourceNode(ctx, { buffer, loop });
    const gain = new GainNode(ctx, { gain: 0 });
    source.connect(gain).connect(ctx.destination);
    const now = ctx.currentTime;
    const start = Math.max(0, Math.min(offsetSec, buffer.duration));
    const dur = Math.max(0.01, Math.min(durationSec, buffer.duration - start));
    gain.gain.setValueAtTime(0, now);
    gain.gain.linearRampToValueAtTime(1, now + FADE_SEC);
    if (loop) {
      source.loopStart = start;
      source.loopEnd = start + dur;
      source.start(now, start);
    } else {
      gain.gain.setValueAtTime(1, now + Math.max(FADE_SEC, dur - FADE_SEC));
      gain.gain.linearRampToValueAtTime(0, now + dur);
      source.start(now, start, dur);
    }
    this.current = { source, gain };
    source.onended = () => {
      if (this.current?.source === source) this.current = null;
    };
    const latencyMs = performance.now() - t0 + (ctx.baseLatency + (ctx.outputLatency || 0)) * 1000;
    this.last = { pointIndex, fileIndex, offsetSec: start, durationSec: dur, loop, startLatencyMs: latencyMs, contextState: ctx.state, atMs: performance.now() };
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
  }

  get playing(): boolean {
    return this.current !== null;
  }
}
