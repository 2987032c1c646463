// Spectrogram of the hovered window over the recording's full band (its own rate, not YAMNet's 125–7,500 Hz), linear or log frequency, plus "play recording from here"; UI only (the STFT is dsp/stft.ts).
import { useEffect, useRef, useState } from 'react';
import type { MapData } from '../dataset/mapData.ts';
import { stftDb } from '../dsp/stft.ts';
import { MAGMA_RGB, colormapInto } from '../dataset/colormap.ts';
import { pointWindowSamples, playRecording } from '../app/pointAudio.ts';
import { useSession } from './session.tsx';

const WIDTH_PX = 288;
const HEIGHT_PX = 128;
const FLOOR_DB = -100;

export function FullBandSpectrogram({ map, point }: { map: MapData; point: number }) {
  const { pipeline } = useSession();
  const canvasRef = useRef<HTMLCanvasElement | null>(null);
  const [logFreq, setLogFreq] = useState(true);
  const [facts, setFacts] = useState<{ peakHz: number; rateHz: number } | null>(null);
  useEffect(() => {
    let live = true;
    setFacts(null);
    void pointWindowSamples(map, point).then((w) => {
      const canvas = canvasRef.current;
      if (!live || !w || !canvas) return;
      const s = stftDb(w.samples, w.sampleRateHz, { maxFrames: WIDTH_PX });
      const ctx = canvas.getContext('2d');
      if (!ctx) return;
      const img = ctx.createImageData(WIDTH_PX, HEIGHT_PX);
      const nyquist = w.sampleRateHz / 2;
      const minHz = Math.max(10, w.sampleRateHz / s.fftSize);
      for (let y = 0; y < HEIGHT_PX; y++) {
        const f = 1 - (y + 0.5) / HEIGHT_PX;
        const hz = logFreq ? minHz * (nyquist / minHz) ** f : f * nyquist;
        const bin = Math.min(s.binCount - 1, Math.round((hz / nyquist) * (s.binCount - 1)));
        for (let x = 0; x < WIDTH_PX; x++) {
          const frame = Math.min(s.frameCount - 1, Math.floor((x / WIDTH_PX) * s.frameCount));
          const db = s.db[frame * s.binCount + bin] ?? FLOOR_DB;
          const o = (y * WIDTH_PX + x) * 4;
          colormapInto(MAGMA_RGB, (db - FLOOR_DB) / -FLOOR_DB, img.data, o);
          img.data[o + 3] = 255;
        }
      }
      ctx.putImageData(img, 0, 0);
      setFacts({ peakHz: s.peakHz, rateHz: w.sampleRateHz });
    });
    return () => {
      live = false;
    };
  }, [map, point, logFreq]);
  const info = map.pointInfo(point);
  return (
    <div className="full-band" data-testid="full-band" data-peak-hz={facts ? Math.round(facts.peakHz) : ''}>
      <canvas ref={canvasRef} width={WIDTH_PX} height={HEIGHT_PX} data-testid="full-band-canvas" />
      <div className="note">
        Full band 0–{facts ? `${(facts.rateHz / 2000).toFixed(1)} kHz` : '…'} {logFreq ? '(log f)' : '(linear f)'}
        {facts ? ` · peak ${(facts.peakHz / 1000).toFixed(2)} kHz` : ''}{' '}
        <button type="button" onClick={() => setLogFreq(!logFreq)}>
          {logFreq ? 'linear' : 'log'} f
        </button>{' '}
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
