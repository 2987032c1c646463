// After a drop: which files are exact copies of others (same content hash), so a curator sees them and knows the
// classifier's cross-validation keeps each set of copies in one fold. UI only; the grouping is dataset/duplicates.ts.
import { useMemo } from 'react';
import { duplicatesSentence, findDuplicates } from '../dataset/duplicates.ts';
import { useStore } from '../state/store.ts';
import { useSession } from './session.tsx';

const MAX_GROUPS_LISTED = 20;

export function DuplicatesNote() {
  const { pipeline } = useSession();
  const mapVersion = useStore((s) => s.mapVersion);
  const phase = useStore((s) => s.phase);
  const map = pipeline.map;
  const found = useMemo(
    () => (map && phase !== 'running' ? findDuplicates(map.files) : null),
    // The map's files are hashed while it is built: look again when it changes or the run ends.
    [map, mapVersion, phase],
  );
  const sentence = found ? duplicatesSentence(found) : null;
  if (!found || !sentence || !map) return null;
  return (
    <section className="panel note" data-testid="duplicates" data-copies={found.copies}>
      <p>
        {sentence} (the same bytes). Copies sit on one spot of the map, and the classifier&apos;s cross-validation keeps
        each set of copies in one fold, so its score is not raised by files it has already seen.
      </p>
      <details>
        <summary>Which files</summary>
        <ul>
          {found.groups.slice(0, MAX_GROUPS_LISTED).map((g) => (
            <li key={g[0]} data-testid="duplicate-group">
              {g.map((i) => map.files[i]?.path ?? `file ${i}`).join(' = ')}
            </li>
          ))}
          {found.groups.length > MAX_GROUPS_LISTED && <li>… and {found.groups.length - MAX_GROUPS_LISTED} more</li>}
        </ul>
      </details>
    </section>
  );
}
