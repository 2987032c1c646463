// Files that could not be used, each with its reason, and files mapped with notes (short, silent, repaired). Text only: names are never rendered as HTML.
import { memo, useMemo, useRef, useState } from 'react';
import { useStore } from '../state/store.ts';

/**
 * Rows rendered per list until the user asks for all: a drop of 10,000 short clips notes every one, and
 * re-rendering 10,000 rows on each progress update blocked the page for seconds.
 */
const LIST_MAX = 100;

const byPath = (a: { path: string }, b: { path: string }) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

/** `top` (sorted, at most `k`) updated with items[from …]: the first `k` entries by path without sorting them all. */
function firstByPath<T extends { path: string }>(items: readonly T[], k: number, from = 0, top: T[] = []): T[] {
  for (let i = from; i < items.length; i++) {
    const it = items[i]!;
    if (top.length === k && byPath(it, top[k - 1]!) >= 0) continue;
    let at = top.length;
    while (at > 0 && byPath(it, top[at - 1]!) < 0) at--;
    top.splice(at, 0, it);
    if (top.length > k) top.pop();
  }
  return top;
}

// Rows are memoised on their entry (the store keeps entry objects): a progress update renders only new rows.
const FailedRow = memo(function FailedRow({ f }: { f: { path: string; reason: string } }) {
  return (
    <li data-testid="failed-item">
      <span className="failed-name">{f.path}</span>: <span className="failed-reason">{f.reason}</span>
    </li>
  );
});

const NoteRow = memo(function NoteRow({ f }: { f: { path: string; notes: string[] } }) {
  return (
    <li data-testid="note-item" data-kinds={f.notes.map((n) => splitNote(n).kind).join(' ')}>
      <span className="failed-name">{f.path}</span>
      {f.notes.map((n, i) => {
        const { kind, detail } = splitNote(n);
        return (
          <span key={n} className="file-note">
            {i === 0 ? ': ' : '; '}
            <b className="note-badge" data-testid="note-badge">
              {kind}
            </b>
            : <span className="failed-reason">{detail}</span>
          </span>
        );
      })}
    </li>
  );
});

function splitNote(note: string): { kind: string; detail: string } {
  const colon = note.indexOf(':');
  return colon < 0
    ? { kind: 'note', detail: note }
    : { kind: note.slice(0, colon), detail: note.slice(colon + 1).trim() };
}

const NoteRows = memo(function NoteRows({ rows }: { rows: { path: string; notes: string[] }[] }) {
  return rows.map((f) => <NoteRow key={f.path} f={f} />);
});

export function FailedList() {
  const failed = useStore((s) => s.failed);
  const notes = useStore((s) => s.noted);
  const [showAll, setShowAll] = useState(false);
  // Files finish in any order (batches in flight); list them by path so the list does not jump around.
  const limit = showAll ? Infinity : LIST_MAX;
  // The store only appends notes (or rebuilds the list when a noted file later fails): look at new entries only, so
  // 10,000 notes cost O(new) per progress update, not a pass (or a sort) over all of them.
  const topCache = useRef<{
    src: readonly { path: string; notes: string[] }[];
    top: { path: string; notes: string[] }[];
  } | null>(null);
  const shownNotes = useMemo(() => {
    if (showAll) return [...notes].sort(byPath);
    const c = topCache.current;
    const seen = c?.src.length ?? 0;
    const appended = c !== null && seen > 0 && notes.length >= seen && notes[seen - 1] === c.src[seen - 1];
    let top = appended ? firstByPath(notes, LIST_MAX, seen, [...c.top]) : firstByPath(notes, LIST_MAX);
    // Same rows as before: keep the array, so the memoised rows below skip rendering.
    if (c && top.length === c.top.length && top.every((t, i) => t === c.top[i])) top = c.top;
    topCache.current = { src: notes, top };
    return top;
  }, [notes, showAll]);
  if (failed.length === 0 && notes.length === 0) return null;
  const more = (n: number) =>
    n > limit && (
      <li className="list-more">
        <button type="button" data-testid="list-show-all" onClick={() => setShowAll(true)}>
          Show all {n} (the {n - LIST_MAX} not listed)
        </button>
      </li>
    );
  return (
    <>
      {failed.length > 0 && (
        <details className="failed" open data-testid="failed-list">
          <summary>
            {failed.length} file{failed.length === 1 ? '' : 's'} could not be used
          </summary>
          <ul>
            {failed.slice(0, limit).map((f) => (
              <FailedRow key={f.path} f={f} />
            ))}
            {more(failed.length)}
          </ul>
        </details>
      )}
      {notes.length > 0 && (
        <details className="failed file-notes" open data-testid="notes-list">
          <summary style={{ color: 'inherit' }}>
            {notes.length} file{notes.length === 1 ? '' : 's'} mapped with notes
          </summary>
          <ul>
            <NoteRows rows={shownNotes} />
            {more(notes.length)}
          </ul>
        </details>
      )}
    </>
  );
}
