// Self-contained demo of the scatter (5,000 synthetic points, fake spectrogram atlas) for e2e and eyeballing; must not import app state or the pipeline.
import { useCallback, useMemo, useState } from 'react';
import type { ReactElement } from 'react';
import { ScatterView } from './ScatterView.tsx';
import { SpectrogramThumb } from './SpectrogramThumb.tsx';
import { Legend } from './Legend.tsx';
import type { LegendEntry } from './Legend.tsx';
import { categoricalColor } from '../dataset/colormap.ts';
import { LOG_MEL_FLOOR, SpriteAtlas } from '../dataset/spriteAtlas.ts';
import { createRng, gaussian } from '../lib/prng.ts';

const POINT_COUNT = 5000;
const BANDS = 64;
/** Thumbnails per cluster: the demo shares cells between points (5,000 cells would be 120 MB of atlas). */
const VARIANTS_PER_CLUSTER = 32;
const CLUSTERS = [
  { name: 'rumble', center: [-0.55, -0.35, 0.2], spread: 0.16 },
  { name: 'tones', center: [0.5, 0.4, -0.1], spread: 0.2 },
  { name: 'clicks', center: [0.05, -0.55, -0.5], spread: 0.13 },
  { name: 'chirps', center: [-0.35, 0.5, -0.45], spread: 0.15 },
  { name: 'hiss', center: [0.55, -0.25, 0.55], spread: 0.18 },
] as const;

/** Mel band (0..63, fractional) of a frequency, for a 125 Hz – 7.5 kHz mel scale like YAMNet's. */
function bandOfHz(hz: number): number {
  const mel = (f: number): number => 2595 * Math.log10(1 + f / 700);
  return ((mel(hz) - mel(125)) / (mel(7500) - mel(125))) * BANDS;
}

/** Fake log-mel (frame-major, 64 bands) with a texture typical of each cluster's "sound". */
function fakeLogMel(cluster: number, rand: () => number): { frames: Float32Array; frameCount: number } {
  const frameCount = 24 + Math.floor(rand() * 280); // covers both stretching and pooling into 96 columns
  const frames = new Float32Array(frameCount * BANDS);
  const bump = (x: number, mu: number, sigma: number): number => Math.exp(-0.5 * ((x - mu) / sigma) ** 2);
  const f0Hz = 150 + rand() * 400;
  const clickFrames = Array.from({ length: 3 + Math.floor(rand() * 6) }, () => Math.floor(rand() * frameCount));
  const sweepStart = rand() * 20;
  const clickDecayFrames = Math.max(1.5, frameCount / 80);
  for (let f = 0; f < frameCount; f++) {
    const t = f / frameCount;
    for (let b = 0; b < BANDS; b++) {
      let energy = 0; // linear magnitude above the noise floor
      switch (cluster) {
        case 0: // rumble: low bands, slow swell
          energy = 6 * bump(b, 4, 5) * (0.6 + 0.4 * Math.sin(2 * Math.PI * (t * 2 + rand() * 0.05)));
          break;
        case 1: // tones: harmonic stack with vibrato
          for (let k = 1; k <= 8; k++) {
            const hz = k * f0Hz * (1 + 0.02 * Math.sin(2 * Math.PI * t * 5));
            energy += (4 / k) * bump(b, bandOfHz(hz), 0.8);
          }
          break;
        case 2: // clicks: broadband transients that decay over a few frames
          for (const cf of clickFrames)
            if (f >= cf) energy += 5 * Math.exp(-(f - cf) / clickDecayFrames) * bump(b, 30, 30);
          break;
        case 3: // chirps: a rising sweep with one harmonic
          energy = 5 * bump(b, sweepStart + t * 40, 1.2) + 2 * bump(b, sweepStart + t * 40 + 12, 1.2);
          break;
        default: // hiss: noisy high bands, fading in and out
          energy = 3 * bump(b, 52, 10) * Math.sin(Math.PI * t) * (0.5 + rand());
      }
      const noise = 0.004 * (0.5 + rand());
      frames[f * BANDS + b] = Math.max(LOG_MEL_FLOOR, Math.log(0.001 + noise + energy));
    }
  }
  return { frames, frameCount };
}

interface DemoData {
  positions: Float32Array;
  colors: Float32Array;
  clusterOf: Uint8Array;
  cellOf: Uint16Array;
  atlas: SpriteAtlas;
  legend: LegendEntry[];
}

function makeDemoData(): DemoData {
  // Seeded: the demo, and therefore the e2e screenshot, is the same on every load.
  const rand = createRng(12345);
  const positions = new Float32Array(POINT_COUNT * 3);
  const colors = new Float32Array(POINT_COUNT * 3);
  const clusterOf = new Uint8Array(POINT_COUNT);
  const cellOf = new Uint16Array(POINT_COUNT);
  const counts = CLUSTERS.map(() => 0);
  for (let i = 0; i < POINT_COUNT; i++) {
    const c = i % CLUSTERS.length;
    const cl = CLUSTERS[c]!;
    clusterOf[i] = c;
    counts[c]!++;
    for (let d = 0; d < 3; d++) positions[i * 3 + d] = cl.center[d]! + gaussian(rand) * cl.spread;
    colors.set(categoricalColor(c), i * 3);
    cellOf[i] = c * VARIANTS_PER_CLUSTER + Math.floor(rand() * VARIANTS_PER_CLUSTER);
  }
  const atlas = new SpriteAtlas();
  for (let c = 0; c < CLUSTERS.length; c++) {
    for (let v = 0; v < VARIANTS_PER_CLUSTER; v++) {
      const { frames, frameCount } = fakeLogMel(c, rand);
      atlas.addLogMel(frames, frameCount, BANDS);
    }
  }
  const legend = CLUSTERS.map((cl, c) => ({ label: cl.name, color: categoricalColor(c), count: counts[c]! }));
  return { positions, colors, clusterOf, cellOf, atlas, legend };
}

const panelStyle = {
  position: 'absolute',
  background: 'rgba(16, 19, 27, 0.88)',
  border: '1px solid #262b38',
  borderRadius: 8,
  padding: '10px 12px',
  color: '#d8dbe2',
  font: '13px/1.4 system-ui, sans-serif',
  pointerEvents: 'none', // overlays must never steal hover from the canvas
} as const;

export function ScatterDemo(): ReactElement {
  const data = useMemo(makeDemoData, []);
  const [hovered, setHovered] = useState<number | null>(null);
  const [active, setActive] = useState<number | null>(null);
  const onHover = useCallback((index: number | null) => setHovered(index), []);
  const onClick = useCallback((index: number | null) => setActive(index), []);

  return (
    <div style={{ position: 'fixed', inset: 0, background: '#0b0d12' }}>
      <ScatterView
        positions={data.positions}
        colors={data.colors}
        count={POINT_COUNT}
        version={1}
        hoveredIndex={hovered}
        activeIndex={active}
        onHover={onHover}
        onClick={onClick}
      />
      <div style={{ ...panelStyle, top: 12, left: 12, width: 220 }}>
        <div style={{ fontWeight: 600, marginBottom: 6 }}>Earshot · scatter demo</div>
        <div>
          hovered: <span data-testid="hovered-index">{hovered ?? 'none'}</span>
          {hovered !== null && <span> · {CLUSTERS[data.clusterOf[hovered] ?? 0]?.name}</span>}
        </div>
        <div>
          active: <span data-testid="active-index">{active ?? 'none'}</span>
        </div>
        <div style={{ marginTop: 8 }}>
          <SpectrogramThumb
            atlas={data.atlas}
            cellId={hovered === null ? null : (data.cellOf[hovered] ?? null)}
            widthPx={192}
            heightPx={128}
            data-testid="hover-thumb"
          />
        </div>
      </div>
      <div style={{ ...panelStyle, bottom: 12, left: 12, width: 160 }}>
        <Legend entries={data.legend} />
      </div>
    </div>
  );
}
