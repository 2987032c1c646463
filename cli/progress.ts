// Progress bar with ETA for the CLI on stderr: redrawn in place on a terminal, a plain line every few seconds in logs (Kubernetes, SLURM); no work of its own.

export interface ProgressSnapshot {
  filesDone: number;
  filesTotal: number;
  /** Work done and total in any unit that grows with time (bytes of audio). */
  workDone: number;
  workTotal: number;
  audioSec: number;
  failed: number;
}

function clock(sec: number): string {
  if (!Number.isFinite(sec) || sec < 0) return '--:--';
  const s = Math.round(sec);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  return h > 0
    ? `${h}:${String(m).padStart(2, '0')}:${String(r).padStart(2, '0')}`
    : `${m}:${String(r).padStart(2, '0')}`;
}

export class ProgressBar {
  private readonly startMs = performance.now();
  private lastDrawMs = -Infinity;
  private drawn = false;
  private readonly tty: boolean;
  private readonly intervalMs: number;

  constructor(
    private readonly label: string,
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly enabled = true,
  ) {
    this.tty = stream.isTTY === true;
    this.intervalMs = this.tty ? 150 : 5000;
  }

  elapsedSec(): number {
    return (performance.now() - this.startMs) / 1000;
  }

  /** Text of one progress line (also used for logs and tests). */
  line(s: ProgressSnapshot): string {
    const elapsed = this.elapsedSec();
    const fraction =
      s.workTotal > 0 ? Math.min(1, s.workDone / s.workTotal) : s.filesTotal > 0 ? s.filesDone / s.filesTotal : 1;
    const eta = fraction > 0 ? (elapsed * (1 - fraction)) / fraction : Number.NaN;
    const width = 24;
    const full = Math.round(fraction * width);
    const bar = `${'='.repeat(Math.max(0, full - 1))}${full > 0 ? (full === width ? '=' : '>') : ''}${' '.repeat(width - full)}`;
    const rt = elapsed > 0 ? s.audioSec / elapsed : 0;
    const failed = s.failed > 0 ? `  ${s.failed} failed` : '';
    return `${this.label} [${bar}] ${(fraction * 100).toFixed(1).padStart(5)}%  ${s.filesDone}/${s.filesTotal} files${failed}  ${(s.audioSec / 60).toFixed(1)} min audio  ${rt.toFixed(0)}× real time  elapsed ${clock(elapsed)}  ETA ${clock(eta)}`;
  }

  /** A stage of known size (e.g. UMAP epochs): "project [====>   ]  40.0%  umap 200/500  elapsed 0:03  ETA 0:04". */
  stageLine(stage: string, done: number, total: number): string {
    const elapsed = this.elapsedSec();
    const fraction = total > 0 ? Math.min(1, done / total) : 0;
    const width = 24;
    const full = Math.round(fraction * width);
    const bar = `${'='.repeat(Math.max(0, full - 1))}${full > 0 ? (full === width ? '=' : '>') : ''}${' '.repeat(width - full)}`;
    return `${this.label} [${bar}] ${(fraction * 100).toFixed(1).padStart(5)}%  ${stage} ${done}/${total}  elapsed ${clock(this.elapsedSec())}  ETA ${clock(fraction > 0 ? (elapsed * (1 - fraction)) / fraction : Number.NaN)}`;
  }

  updateStage(stage: string, done: number, total: number, force = false): void {
    this.draw(() => this.stageLine(stage, done, total), force);
  }

  update(s: ProgressSnapshot, force = false): void {
    this.draw(() => this.line(s), force);
  }

  private draw(make: () => string, force: boolean): void {
    if (!this.enabled) return;
    const now = performance.now();
    if (!force && now - this.lastDrawMs < this.intervalMs) return;
    this.lastDrawMs = now;
    const text = make();
    if (this.tty) {
      this.stream.write(`\r\x1b[2K${text.slice(0, Math.max(20, (this.stream.columns ?? 160) - 1))}`);
      this.drawn = true;
    } else this.stream.write(`${text}\n`);
  }

  /** Prints a message above the bar (errors as they happen) without tearing it. */
  log(message: string): void {
    if (this.tty && this.drawn) this.stream.write('\r\x1b[2K');
    this.stream.write(`${message}\n`);
    this.lastDrawMs = -Infinity;
  }

  done(s: ProgressSnapshot): void {
    if (!this.enabled) return;
    this.update(s, true);
    this.end();
  }

  /** Leaves the last drawn line in place (terminal) and moves on. */
  end(): void {
    if (this.enabled && this.tty && this.drawn) this.stream.write('\n');
    this.drawn = false;
  }
}
