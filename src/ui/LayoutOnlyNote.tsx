// Says, over the exploration panels, when the open map has no embeddings (a scatter-sounds dataset, a 3D-only projector
// file): similar sounds, clusters and the classifier then work on its 3D layout, and trust is off. UI only.
import { useStore } from '../state/store.ts';
import { useSession } from './session.tsx';

export function LayoutOnlyNote() {
  const { pipeline } = useSession();
  useStore((s) => s.mapVersion);
  const map = pipeline.map;
  if (!map || map.pointCount === 0 || map.embeddingDim > 0) return null;
  return (
    <p className="note" data-testid="layout-only">
      This map came without embeddings: similar sounds, clusters and the classifier work on its 3D layout (nearness on
      the map), and trust, which compares the layout with the embeddings, is off.
    </p>
  );
}
