// Details of a point, docked beside the map (never over it): what the model hears (its log-mel window with axes), the
// full band with the model's band boxed, file, label, span, audio facts, top classes. It keeps showing the last point
// when the cursor leaves the map, so its buttons stay reachable, and can be pinned to one point. UI only.
import { Fragment, useRef, useState } from 'react';
import { useStore } from '../state/store.ts';
import { SpectrogramThumb } from '../scatter/SpectrogramThumb.tsx';
import type { MapData } from '../dataset/mapData.ts';
import { useViewStore } from '../state/viewStore.ts';
import { pointScores } from '../dataset/pointScores.ts';
import { formatDescriptor, pointDescriptorRow } from '../dataset/pointDescriptors.ts';
import { getClassNames } from '../embed/classNames.ts';
import { topClasses } from '../embed/classMap.ts';
import { FullBandSpectrogram } from './FullBandSpectrogram.tsx';
import { DETAILS_PLOT_WIDTH_PX, SpectrogramFigure } from './SpectrogramFigure.tsx';
import { modelBand } from '../app/modelBand.ts';
import { formatHz } from '../lib/axisTicks.ts';

const TOP_CLASSES = 3;
const THUMB_MAX_HEIGHT_PX = 150;

function fmt(sec: number): string {
  return `${sec.toFixed(2)} s`;
}

/** "44.1 kHz · 2 ch · WAV", leaving out what is not known (a dataset's remote clips). */
function audioFacts(file: { sampleRateHz: number; channels: number; format: string }): string {
  const parts: string[] = [];
  if (file.sampleRateHz > 0) parts.push(`${(file.sampleRateHz / 1000).toFixed(file.sampleRateHz % 1000 ? 1 : 0)} kHz`);
  if (file.channels > 0) parts.push(`${file.channels} ch`);
  if (file.format) parts.push(file.format.toUpperCase());
  return parts.join(' · ');
}

type Why = 'pinned' | 'hovered' | 'looping' | 'last';

export function HoverPanel({ map }: { map: MapData | null }) {
  const hovered = useStore((s) => s.hovered);
  const active = useStore((s) => s.active);
  useStore((s) => s.mapVersion);
  const assetsVersion = useViewStore((s) => s.assetsVersion);
  useStore((s) => s.classMapVersion);
  const mapModelId = useStore((s) => s.mapModelId);
  const [pin, setPin] = useState<{ map: MapData; point: number } | null>(null);
  const last = useRef<{ map: MapData; point: number } | null>(null);
  const live = hovered ?? active;
  if (map && live !== null) last.current = { map, point: live };
  const pinned = pin && pin.map === map ? pin.point : null;
  const lastPoint = last.current && last.current.map === map ? last.current.point : null;
  const point = pinned ?? live ?? lastPoint;
  const why: Why = pinned !== null ? 'pinned' : hovered !== null ? 'hovered' : active !== null ? 'looping' : 'last';
  const info = map && point !== null ? map.pointInfo(point) : null;
  const file = info && map ? map.files[info.fileIndex] : null;
  if (!map || !info || !file || point === null) {
    return (
      <aside className="hover-panel empty" data-testid="hover-panel">
        Hover a point to hear it; click to loop it. Its details show here.
      </aside>
    );
  }
  const band = map.pointTable ? null : modelBand(mapModelId);
  const thumbs = map.thumbs;
  // Square (or any) sprites keep their aspect: only the width is fixed.
  const thumbHeightPx = Math.min(
    THUMB_MAX_HEIGHT_PX,
    Math.round((DETAILS_PLOT_WIDTH_PX * thumbs.cellHeightPx) / Math.max(1, thumbs.cellWidthPx)),
  );
  const thumbWidthPx = Math.round((thumbHeightPx * thumbs.cellWidthPx) / Math.max(1, thumbs.cellHeightPx));
  const facts = audioFacts(file);
  return (
    <aside className="hover-panel" data-testid="hover-panel" data-point={point} data-why={why}>
      <div className="details-head">
        <div className="hover-file" data-testid="hover-file" title={file.path}>
          {file.path}
        </div>
        <button
          type="button"
          className={pinned !== null ? 'on' : ''}
          data-testid="details-pin"
          aria-pressed={pinned !== null}
          title={pinned !== null ? 'Unpin: follow the hover again' : 'Keep these details while you hover other points'}
          onClick={() => setPin(pinned !== null ? null : { map, point })}
        >
          {pinned !== null ? 'Unpin' : 'Pin'}
        </button>
      </div>
      <div className="details-why" data-testid="details-why">
        {why === 'pinned'
          ? 'pinned'
          : why === 'hovered'
            ? 'hovered'
            : why === 'looping'
              ? 'looping (click it again to stop)'
              : 'last hovered'}
      </div>
      <SpectrogramFigure
        data-testid="model-view"
        caption={
          band ? (
            <span title={band.modelName}>
              <b>What the model hears</b>: its {band.scale === 'mel' ? 'log-mel input' : 'band'}, {formatHz(band.lowHz)}
              –{formatHz(band.highHz)} · brightness relative to its loudest
            </span>
          ) : (
            <b>The dataset&apos;s picture of this point</b>
          )
        }
        widthPx={thumbWidthPx}
        heightPx={thumbHeightPx}
        frequency={band ? { lowHz: band.lowHz, highHz: band.highHz, scale: band.scale } : null}
        durationSec={band ? info.endSec - info.startSec : null}
      >
        <SpectrogramThumb
          atlas={thumbs}
          version={assetsVersion}
          cellId={info.cellId}
          widthPx={thumbWidthPx}
          heightPx={thumbHeightPx}
          data-testid="hover-thumb"
        />
      </SpectrogramFigure>
      <div className="hover-meta">
        <div>
          Label: <b data-testid="hover-label">{info.label ?? '(none)'}</b>
        </div>
        <div data-testid="hover-span">
          {fmt(info.startSec)} – {fmt(info.endSec)}
          {file.durationSec > 0 ? ` of ${fmt(file.durationSec)}` : ''}
        </div>
        {file.startMs != null && (
          <div data-testid="hover-time">
            {new Date(file.startMs + info.startSec * 1000).toISOString().replace('T', ' ').slice(0, 23)} UTC
          </div>
        )}
        <TopClasses map={map} point={point} modelId={mapModelId} />
        <Descriptors map={map} point={point} />
        {facts && (
          <div className="hover-audio" data-testid="hover-audio">
            {facts}
          </div>
        )}
      </div>
      {!map.pointTable && <FullBandSpectrogram map={map} point={point} band={band} />}
    </aside>
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
