// What the hovered (or looping) point is: thumbnail, file, label, time span, audio facts, and for models with scores its top classes. Text only.
import { Fragment } from 'react';
import { useStore } from '../state/store.ts';
import { SpectrogramThumb } from '../scatter/SpectrogramThumb.tsx';
import type { MapData } from '../dataset/mapData.ts';
import { useViewStore } from '../state/viewStore.ts';
import { pointScores } from '../dataset/pointScores.ts';
import { formatDescriptor, pointDescriptorRow } from '../dataset/pointDescriptors.ts';
import { getClassNames } from '../embed/classNames.ts';
import { topClasses } from '../embed/classMap.ts';
import { FullBandSpectrogram } from './FullBandSpectrogram.tsx';

const TOP_CLASSES = 3;

function fmt(sec: number): string {
  return `${sec.toFixed(2)} s`;
}

export function HoverPanel({ map }: { map: MapData | null }) {
  const hovered = useStore((s) => s.hovered);
  const active = useStore((s) => s.active);
  useStore((s) => s.mapVersion);
  const assetsVersion = useViewStore((s) => s.assetsVersion);
  useStore((s) => s.classMapVersion);
  const mapModelId = useStore((s) => s.mapModelId);
  const point = hovered ?? active;
  const info = map && point !== null ? map.pointInfo(point) : null;
  const file = info && map ? map.files[info.fileIndex] : null;
  if (!map || !info || !file) {
    return (
      <div className="hover-panel empty" data-testid="hover-panel">
        Hover a point to hear it; click to loop it.
      </div>
    );
  }
  return (
    <div className="hover-panel" data-testid="hover-panel" data-point={point ?? ''}>
      <SpectrogramThumb
        atlas={map.thumbs}
        version={assetsVersion}
        cellId={info.cellId}
        widthPx={288}
        heightPx={128}
        data-testid="hover-thumb"
      />
      <div className="hover-meta">
        <div className="hover-file" data-testid="hover-file" title={file.path}>
          {file.path}
        </div>
        <div>
          Label: <b data-testid="hover-label">{info.label ?? '(none)'}</b>
        </div>
        <div data-testid="hover-span">
          {fmt(info.startSec)} – {fmt(info.endSec)} of {fmt(file.durationSec)}
        </div>
        {file.startMs != null && (
          <div data-testid="hover-time">
            {new Date(file.startMs + info.startSec * 1000).toISOString().replace('T', ' ').slice(0, 23)} UTC
          </div>
        )}
        <TopClasses map={map} point={point ?? 0} modelId={mapModelId} />
        <Descriptors map={map} point={point ?? 0} />
        <div className="hover-audio">
          {(file.sampleRateHz / 1000).toFixed(file.sampleRateHz % 1000 ? 1 : 0)} kHz · {file.channels} ch ·{' '}
          {file.format.toUpperCase()}
          {active === point ? ' · looping (click again to stop)' : ''}
        </div>
      </div>
      {!map.pointTable && <FullBandSpectrogram map={map} point={point ?? 0} />}
    </div>
  );
}

/** The point's level and spectral shape (as scatter-sounds shows them), when the map has descriptors. */
function Descriptors({ map, point }: { map: MapData; point: number }) {
  const d = pointDescriptorRow(map, point);
  if (!d) return null;
  return (
    <div data-testid="hover-descriptors">
      {formatDescriptor('rms_dbfs', d.rms_dbfs)} · centroid {formatDescriptor('centroid_hz', d.centroid_hz)} · roll-off{' '}
      {formatDescriptor('rolloff_hz', d.rolloff_hz)} · bandwidth {formatDescriptor('bandwidth_hz', d.bandwidth_hz)}
    </div>
  );
}

/** "What the model hears": the point's highest-scoring classes, for models with a scores output. */
function TopClasses({ map, point, modelId }: { map: MapData; point: number; modelId: string | null }) {
  const scores = pointScores(map, point);
  if (!scores) return null;
  const top = topClasses(scores, modelId ? getClassNames(modelId) : null, TOP_CLASSES);
  return (
    <div className="hover-classes" data-testid="hover-classes">
      Hears:{' '}
      {top.map((c, i) => (
        <Fragment key={c.index}>
          {i > 0 ? ', ' : ''}
          <span data-testid="hover-class" data-class={c.index}>
            {c.name} <span className="score">{c.score.toFixed(2)}</span>
          </span>
        </Fragment>
      ))}
    </div>
  );
}
