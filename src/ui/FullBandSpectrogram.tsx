// Spectrogram of the point's window over the recording's full band (its own rate, not the model's), log or linear
// frequency, with axes, a dB FS colour bar and the model's band boxed, plus "play recording from here"; UI only (the
// STFT is dsp/stft.ts).
import { useEffect, useRef, useState } from 'react';
import type { MapData } from '../dataset/mapData.ts';
import { stftDb } from '../dsp/stft.ts';
import { MAGMA_RGB, colormapInto } from '../dataset/colormap.ts';
import { pointWindowSamples, playRecording } from '../app/pointAudio.ts';
import type { ModelBand } from '../app/modelBand.ts';
import { formatHz } from '../lib/axisTicks.ts';
import { errorMessage } from '../lib/errors.ts';
import { useSession } from './session.tsx';
import { DETAILS_PLOT_WIDTH_PX, SpectrogramFigure } from './SpectrogramFigure.tsx';

const HEIGHT_PX = 120;
const FLOOR_DB = -100;

interface Drawn {
  peakHz: number;
  rateHz: number;
  minHz: number;
  durationSec: number;
}

export function FullBandSpectrogram({ map, point, band }: { map: MapData; point: number; band: ModelBand | null }) {
  const { pipeline } = useSession();
  const canvasRef = useRef<HTMLCanvasElement | null>(null);
  const [logFreq, setLogFreq] = useState(true);
  const [drawn, setDrawn] = useState<Drawn | null>(null);
  const [missing, setMissing] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    setDrawn(null);
    setMissing(null);
    pointWindowSamples(map, point).then(
      (w) => {
        const canvas = canvasRef.current;
        if (!live || !canvas) return;
        if (!w) {
          setMissing('No local audio for this point, so no full-band view.');
          return;
        }
        const widthPx = canvas.width;
        const s = stftDb(w.samples, w.sampleRateHz, { maxFrames: widthPx });
        const ctx = canvas.getContext('2d');
        if (!ctx) return;
        const img = ctx.createImageData(widthPx, HEIGHT_PX);
        const nyquist = w.sampleRateHz / 2;
        const minHz = Math.max(10, w.sampleRateHz / s.fftSize);
        for (let y = 0; y < HEIGHT_PX; y++) {
          const f = 1 - (y + 0.5) / HEIGHT_PX;
          const hz = logFreq ? minHz * (nyquist / minHz) ** f : f * nyquist;
          const bin = Math.min(s.binCount - 1, Math.round((hz / nyquist) * (s.binCount - 1)));
          for (let x = 0; x < widthPx; x++) {
            const frame = Math.min(s.frameCount - 1, Math.floor((x / widthPx) * s.frameCount));
            const db = s.db[frame * s.binCount + bin] ?? FLOOR_DB;
            const o = (y * widthPx + x) * 4;
            colormapInto(MAGMA_RGB, (db - FLOOR_DB) / -FLOOR_DB, img.data, o);
            img.data[o + 3] = 255;
          }
        }
        ctx.putImageData(img, 0, 0);
        setDrawn({ peakHz: s.peakHz, rateHz: w.sampleRateHz, minHz, durationSec: w.samples.length / w.sampleRateHz });
      },
      (err: unknown) => {
        if (live) setMissing(`No full-band view: ${errorMessage(err)}`);
      },
    );
    return () => {
      live = false;
    };
  }, [map, point, logFreq]);
  const info = map.pointInfo(point);
  const nyquistHz = drawn ? drawn.rateHz / 2 : 0;
  const heard = band && drawn ? { lowHz: band.lowHz, highHz: Math.min(band.highHz, nyquistHz) } : null;
  return (
    <div className="full-band" data-testid="full-band" data-peak-hz={drawn ? Math.round(drawn.peakHz) : ''}>
      <SpectrogramFigure
        caption={
          <>
            <b>Full band</b> at the file&apos;s rate, 0–{drawn ? formatHz(nyquistHz) : '…'} (
            {logFreq ? 'log' : 'linear'} f)
            {drawn ? ` · peak ${formatHz(drawn.peakHz)}` : ''}
            {heard ? ` · box: what the model hears (${formatHz(heard.lowHz)}–${formatHz(heard.highHz)})` : ''}
          </>
        }
        widthPx={DETAILS_PLOT_WIDTH_PX}
        heightPx={HEIGHT_PX}
        frequency={
          drawn ? { lowHz: logFreq ? drawn.minHz : 0, highHz: nyquistHz, scale: logFreq ? 'log' : 'linear' } : null
        }
        durationSec={drawn?.durationSec ?? null}
        db={drawn ? { minDb: FLOOR_DB, maxDb: 0, colormap: MAGMA_RGB, unit: 'dB FS' } : null}
        box={heard ? { ...heard, title: 'What the model hears' } : null}
      >
        <canvas
          ref={canvasRef}
          width={DETAILS_PLOT_WIDTH_PX}
          height={HEIGHT_PX}
          data-testid="full-band-canvas"
          style={{ visibility: drawn ? 'visible' : 'hidden' }}
        />
      </SpectrogramFigure>
      {missing && (
        <p className="note" data-testid="full-band-missing">
          {missing}
        </p>
      )}
      <div className="full-band-actions">
        <button type="button" data-testid="full-band-scale" onClick={() => setLogFreq(!logFreq)}>
          {logFreq ? 'linear' : 'log'} f
        </button>
        {info && (
          <button
            type="button"
            data-testid="play-recording"
            onClick={() => void playRecording(pipeline.player, map, info.fileIndex, info.startSec)}
          >
            ▶ recording from here
          </button>
        )}
      </div>
    </div>
  );
}
