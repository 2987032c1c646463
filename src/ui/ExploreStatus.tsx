// One line saying what the exploration tools are doing or what went wrong (text only).
import { useExploreStore } from '../state/exploreStore.ts';

export function ExploreStatus() {
  const busy = useExploreStore((s) => s.busy);
  const error = useExploreStore((s) => s.error);
  if (!busy && !error) return null;
  return (
    <p className={error ? 'error' : 'note'} data-testid="explore-status">
      {error ?? `${busy ?? ''}…`}
    </p>
  );
}
