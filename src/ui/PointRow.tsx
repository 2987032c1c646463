// One point in a list (selection, neighbours, review queue, cluster members): thumbnail, file, span, label; text only.
import type { ReactNode } from 'react';
import { SpectrogramThumb } from '../scatter/SpectrogramThumb.tsx';
import type { MapData } from '../dataset/mapData.ts';
import { useSession } from './session.tsx';
import { useViewStore } from '../state/viewStore.ts';

export function PointRow({
  map,
  point,
  extra,
  playing,
  testId,
}: {
  map: MapData;
  point: number;
  extra?: ReactNode;
  playing?: boolean;
  testId: string;
}) {
  const { pipeline } = useSession();
  // A remote dataset's thumbnails arrive later: redraw when they do, not only on hover.
  const assetsVersion = useViewStore((s) => s.assetsVersion);
  const info = map.pointInfo(point);
  const file = info ? map.files[info.fileIndex] : undefined;
  return (
    <li
      className={`point-row${playing ? ' playing' : ''}`}
      data-testid={testId}
      data-point={point}
      data-file={file?.path ?? ''}
      onClick={() => {
        pipeline.player.unlock();
        pipeline.playPoint(point, false);
      }}
      title="Click to play"
    >
      <SpectrogramThumb
        atlas={map.thumbs}
        version={assetsVersion}
        cellId={info && info.cellId >= 0 ? info.cellId : null}
        widthPx={48}
        heightPx={32}
      />
      <span className="point-row-text">
        <span className="point-row-file">{file?.name ?? `point ${point}`}</span>
        <span className="point-row-meta">
          {info ? `${info.startSec.toFixed(2)}–${info.endSec.toFixed(2)} s` : ''} · {info?.label ?? '(no label)'}
        </span>
      </span>
      {extra}
    </li>
  );
}
