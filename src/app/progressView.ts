// Turns a drop's events into the progress the panels show: per-stage counts, the failed and noted lists, and the
// sentences for how a run ended. Store writes are batched (one per PROGRESS_FLUSH_MS): one setState per file copied
// the lists each time (O(n²) for 10,000 files) and re-rendered the panels thousands of times a second.
import type { Drop, DropEvent, DropStage } from '../dataset/dropEvents.ts';
import { initialStages, useStore } from '../state/store.ts';

export const PROGRESS_FLUSH_MS = 100;

/** The words for how a run ended. */
export function endedMessage(e: Extract<DropEvent, { type: 'ended' }>): string {
  switch (e.outcome) {
    case 'nothing-mapped':
      return 'No file could be mapped. See the list of failed files.';
    case 'cancelled':
      return e.doneFiles > 0
        ? `Cancelled after ${e.doneFiles} of ${e.totalFiles} files; the map shows the ${e.doneFiles} finished.`
        : 'Cancelled before any file was finished.';
    case 'error':
      return e.error ?? 'The run failed.';
  }
}

/** Shows one drop's progress until it ends or `detach` is called (a newer drop replaced it). */
export function attachProgressView(drop: Drop): () => void {
  const failed: { path: string; reason: string }[] = [];
  const noted: { path: string; notes: string[] }[] = [];
  const unnoted = new Set<string>();
  const through: Record<DropStage, number> = { decode: 0, features: 0 };
  let timer: ReturnType<typeof setTimeout> | null = null;
  let attached = true;

  const flush = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    // A newer drop closed this one: its counts must not land in that drop's progress.
    if (!attached || drop.isClosed) return;
    const t = performance.now();
    useStore.setState((s) => {
      const stages = { ...s.stages };
      for (const name of ['decode', 'features'] as const) {
        const st = stages[name];
        const done = st.done + through[name];
        if (through[name] > 0)
          stages[name] = {
            ...st,
            done,
            startedAt: st.startedAt ?? t,
            finishedAt: done >= st.total && st.total > 0 ? t : null,
          };
      }
      const notedNow =
        unnoted.size > 0
          ? [...s.noted, ...noted].filter((n) => !unnoted.has(n.path))
          : noted.length > 0
            ? [...s.noted, ...noted]
            : s.noted;
      return { stages, failed: failed.length > 0 ? [...s.failed, ...failed] : s.failed, noted: notedNow };
    });
    failed.length = 0;
    noted.length = 0;
    unnoted.clear();
    through.decode = 0;
    through.features = 0;
  };
  const later = () => {
    timer ??= setTimeout(flush, PROGRESS_FLUSH_MS);
  };

  const stops = [
    drop.on('started', (e) => {
      const now = performance.now();
      const stages = initialStages();
      stages.decode = { ...stages.decode, total: e.inputs.length, startedAt: now };
      stages.features.total = e.inputs.length;
      useStore.setState((s) => ({
        phase: 'running',
        message: null,
        stages,
        fileCount: e.inputs.length,
        failed: [],
        noted: [],
        pointCount: 0,
        hovered: null,
        active: null,
        legend: [],
        patchesPerSec: null,
        mapVersion: s.mapVersion + 1,
        mapModelId: e.modelId,
      }));
    }),
    drop.on('file-through', (e) => {
      through[e.stage]++;
      later();
    }),
    drop.on('file-failed', (e) => {
      failed.push({ path: e.path, reason: e.reason });
      if (e.hadNotes) unnoted.add(e.path);
      later();
    }),
    drop.on('file-noted', (e) => {
      noted.push({ path: e.path, notes: [...e.notes] });
      later();
    }),
    drop.on('files-accounted', flush),
    drop.on('ended', (e) => {
      flush();
      useStore.setState({
        phase: e.outcome === 'error' ? 'error' : e.outcome === 'cancelled' ? 'cancelled' : 'done',
        message: endedMessage(e),
      });
    }),
  ];
  return () => {
    flush();
    attached = false;
    for (const stop of stops) stop();
  };
}
