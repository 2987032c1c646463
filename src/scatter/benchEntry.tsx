// Entry for src/scatter/bench.html: ScatterView with N synthetic clustered points (?points=N, default 1e6) for scripts/bench-render.ts; dev server only, must not be imported by app code.
import { useCallback, useMemo, useState } from 'react';
import type { ReactElement } from 'react';
import { createRoot } from 'react-dom/client';
import { ScatterView } from './ScatterView.tsx';
import { categoricalColor } from '../dataset/colormap.ts';
import { createRng, gaussian } from '../lib/prng.ts';
import { buildPointSpriteSheet } from './spriteSheet.ts';
import type { ThumbSource } from '../dataset/mapData.ts';

const DEFAULT_POINTS = 1_000_000;
/** Upper bound so a typo cannot ask the tab for gigabytes. */
const MAX_POINTS = 5_000_000;
const CLUSTERS = 40;

function pointCountFromUrl(): number {
  const raw = Number(new URLSearchParams(location.search).get('points') ?? DEFAULT_POINTS);
  return Number.isInteger(raw) && raw > 0 ? Math.min(raw, MAX_POINTS) : DEFAULT_POINTS;
}

/** Clusters of varied size and spread in [-1, 1]³, like a UMAP layout of many sounds (seeded: same every load). */
function makePoints(count: number): { positions: Float32Array; colors: Float32Array } {
  const rng = createRng(2024);
  const centres = Array.from({ length: CLUSTERS }, () => [rng() * 1.6 - 0.8, rng() * 1.6 - 0.8, rng() * 1.6 - 0.8]);
  const spreads = Array.from({ length: CLUSTERS }, () => 0.03 + 0.12 * rng());
  const palette = Array.from({ length: CLUSTERS }, (_, c) => categoricalColor(c));
  const positions = new Float32Array(count * 3);
  const colors = new Float32Array(count * 3);
  for (let i = 0; i < count; i++) {
    const c = Math.floor(rng() * CLUSTERS);
    const centre = centres[c]!;
    const spread = spreads[c]!;
    for (let d = 0; d < 3; d++) positions[i * 3 + d] = centre[d]! + gaussian(rng) * spread;
    colors.set(palette[c]!, i * 3);
  }
  return { positions, colors };
}

/** ?sprites=1: the sprite render mode, each point a synthetic 96×64 "spectrogram" (bands that differ per point). */
const spritesWanted = new URLSearchParams(location.search).get('sprites') === '1';
function syntheticThumbs(): ThumbSource {
  const w = 96;
  const h = 64;
  return {
    cellWidthPx: w,
    cellHeightPx: h,
    cellCount: Number.MAX_SAFE_INTEGER,
    version: 0,
    getCellRGBA(id: number) {
      const out = new Uint8ClampedArray(w * h * 4);
      for (let y = 0; y < h; y++) {
        const v = (Math.sin(y * 0.2 + id * 0.37) * 0.5 + 0.5) * 255;
        for (let x = 0; x < w; x++) out.set([v, (x * 255) / w, 255 - v, 255], (y * w + x) * 4);
      }
      return out;
    },
  };
}

function ScatterBench(): ReactElement {
  const count = useMemo(pointCountFromUrl, []);
  const data = useMemo(() => makePoints(count), [count]);
  const sprites = useMemo(
    () => (spritesWanted ? buildPointSpriteSheet(syntheticThumbs(), count, (p) => p) : null),
    [count],
  );
  const [hovered, setHovered] = useState<number | null>(null);
  const [active, setActive] = useState<number | null>(null);
  const onHover = useCallback((index: number | null) => setHovered(index), []);
  const onClick = useCallback((index: number | null) => setActive(index), []);
  return (
    <div style={{ position: 'fixed', inset: 0 }}>
      <ScatterView
        positions={data.positions}
        colors={data.colors}
        count={count}
        version={1}
        hoveredIndex={hovered}
        activeIndex={active}
        onHover={onHover}
        onClick={onClick}
        sprites={sprites}
      />
      <div
        style={{
          position: 'absolute',
          top: 8,
          left: 8,
          color: '#d8dbe2',
          font: '13px system-ui',
          pointerEvents: 'none',
        }}
      >
        {count.toLocaleString('en')} points · hovered: <span data-testid="hovered-index">{hovered ?? 'none'}</span>
      </div>
    </div>
  );
}

const root = document.getElementById('root');
if (!root) throw new Error('bench.html has no #root');
// No StrictMode: the benchmark should mount once, as the production app does.
createRoot(root).render(<ScatterBench />);
