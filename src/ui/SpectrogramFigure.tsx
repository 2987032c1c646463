// A spectrogram with its axes, as people review detections (Raven, BirdNET's review): frequency ticks in Hz/kHz on
// the left, time ticks in s below, an optional dB colour bar on the right and an optional box marking a band. UI only;
// the ticks come from lib/axisTicks.ts, the picture from the caller's canvas.
import type { ReactNode } from 'react';
import { frequencyPosition, frequencyTicks, timeTicks, type FrequencyScale } from '../lib/axisTicks.ts';
import { colormapInto } from '../dataset/colormap.ts';

export interface SpectrogramFigureProps {
  caption: ReactNode;
  /** The picture (a canvas), drawn at widthPx × heightPx. */
  children: ReactNode;
  widthPx: number;
  heightPx: number;
  /** Frequency axis; null leaves it unlabelled (a dataset's sprites, whose axes are unknown). */
  frequency: { lowHz: number; highHz: number; scale: FrequencyScale } | null;
  /** Seconds the picture spans left to right; null leaves time unlabelled. */
  durationSec: number | null;
  /** dB colour bar from minDb (darkest) to maxDb, in the picture's colour map. */
  db?: { minDb: number; maxDb: number; colormap: Uint8Array; unit: string } | null;
  /** A band drawn as a box over the whole span (e.g. what the model hears). */
  box?: { lowHz: number; highHz: number; title: string } | null;
  'data-testid'?: string;
}

const DB_TICKS = 3;
/** Spectrogram plot width in the details column (CSS px). */
export const DETAILS_PLOT_WIDTH_PX = 216;

function gradient(colormap: Uint8Array): string {
  const rgb = new Uint8Array(3);
  const stops = Array.from({ length: 9 }, (_, i) => {
    colormapInto(colormap, i / 8, rgb, 0);
    return `rgb(${rgb[0]}, ${rgb[1]}, ${rgb[2]}) ${(i / 8) * 100}%`;
  });
  return `linear-gradient(to top, ${stops.join(', ')})`;
}

export function SpectrogramFigure(props: SpectrogramFigureProps) {
  const { frequency, durationSec, db, box, widthPx, heightPx } = props;
  const fTicks = frequency ? frequencyTicks(frequency.lowHz, frequency.highHz, frequency.scale, 5) : [];
  const tTicks = durationSec ? timeTicks(durationSec, 4) : [];
  const position = (hz: number): number =>
    frequency
      ? frequencyPosition(
          Math.min(frequency.highHz, Math.max(frequency.lowHz, hz)),
          frequency.lowHz,
          frequency.highHz,
          frequency.scale,
        )
      : 0;
  const boxPos = box && frequency ? { bottom: position(box.lowHz), top: position(box.highHz) } : null;
  return (
    <figure className="spec-figure" data-testid={props['data-testid']}>
      <figcaption className="spec-caption">{props.caption}</figcaption>
      <div className="spec-body">
        <div className="spec-yaxis" style={{ height: `${heightPx}px` }} aria-label="frequency">
          {fTicks.map((t) => (
            <span key={t.label} data-testid="freq-tick" style={{ bottom: `${t.at * 100}%` }}>
              {t.label}
            </span>
          ))}
        </div>
        <div className="spec-plot" style={{ width: `${widthPx}px`, height: `${heightPx}px` }}>
          {props.children}
          {boxPos && boxPos.top > boxPos.bottom && (
            <div
              className="spec-box"
              data-testid="spec-box"
              title={box?.title}
              style={{ bottom: `${boxPos.bottom * 100}%`, top: `${(1 - boxPos.top) * 100}%` }}
            />
          )}
        </div>
        {db && (
          <div className="spec-db" style={{ height: `${heightPx}px` }} data-testid="db-bar" title={db.unit}>
            <div className="spec-db-ramp" style={{ background: gradient(db.colormap) }} />
            <div className="spec-db-ticks">
              {Array.from({ length: DB_TICKS }, (_, i) => {
                const v = db.minDb + ((db.maxDb - db.minDb) * i) / (DB_TICKS - 1);
                return (
                  <span key={i} data-testid="db-tick" style={{ bottom: `${(i / (DB_TICKS - 1)) * 100}%` }}>
                    {Math.round(v)}
                  </span>
                );
              })}
            </div>
          </div>
        )}
      </div>
      <div className="spec-xaxis" style={{ width: `${widthPx}px` }} aria-label="time">
        {tTicks.map((t) => (
          <span key={t.label} data-testid="time-tick" style={{ left: `${t.at * 100}%` }}>
            {t.label}
          </span>
        ))}
      </div>
    </figure>
  );
}
