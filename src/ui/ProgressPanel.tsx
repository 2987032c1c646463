// Per-stage progress: counts, elapsed, ETA, and a cancel button. Re-renders on a 250 ms tick while running.
import { useEffect, useState } from 'react';
import { STAGES, useStore, type StageProgress } from '../state/store.ts';

const LABELS = { decode: 'Decode', features: 'Log-mel (worklet)', embed: 'Embed', project: 'Project (UMAP)' } as const;

function fmtSec(s: number): string {
  if (!Number.isFinite(s)) return '–';
  return s < 60 ? `${s.toFixed(1)} s` : `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

function timing(p: StageProgress, now: number): string {
  if (p.startedAt === null) return '';
  const end = p.finishedAt ?? now;
  const elapsed = (end - p.startedAt) / 1000;
  if (p.finishedAt !== null || p.total === 0 || p.done === 0) return fmtSec(elapsed);
  const eta = (elapsed / p.done) * (p.total - p.done);
  return `${fmtSec(elapsed)} · ETA ${fmtSec(eta)}`;
}

export function ProgressPanel({ onCancel }: { onCancel: () => void }) {
  const stages = useStore((s) => s.stages);
  const phase = useStore((s) => s.phase);
  const [now, setNow] = useState(() => performance.now());
  useEffect(() => {
    if (phase !== 'running') return;
    const t = setInterval(() => setNow(performance.now()), 250);
    return () => clearInterval(t);
  }, [phase]);
  // After a restore (or an opened dataset) some stages never ran here: no empty 0/0 bars for them.
  const shown =
    phase === 'running' ? STAGES : STAGES.filter((name) => stages[name].total > 0 || stages[name].startedAt !== null);
  if (shown.length === 0) return null;
  return (
    <div className="progress" data-testid="progress">
      {shown.map((name) => {
        const p = stages[name];
        const frac = p.total > 0 ? Math.min(1, p.done / p.total) : p.finishedAt !== null ? 1 : 0;
        return (
          <div key={name} className="stage" data-testid={`stage-${name}`} data-done={p.done} data-total={p.total}>
            <span className="stage-name">{LABELS[name]}</span>
            <progress max={1} value={frac} />
            <span className="stage-count">
              {p.done}/{p.total} {p.unit}
            </span>
            <span className="stage-time">{timing(p, now)}</span>
          </div>
        );
      })}
      {phase === 'running' && (
        <button type="button" className="cancel" data-testid="cancel" onClick={onCancel}>
          Cancel
        </button>
      )}
    </div>
  );
}
