// Timeline under the map: how many points fall at each absolute time, and a brush (drag) that dims points outside the chosen range; UI only, reads MapData, keeps no typed arrays in state.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { MapData } from '../dataset/mapData.ts';
import { useStore } from '../state/store.ts';
import { useViewStore } from '../state/viewStore.ts';
import { setTimeBrush } from '../app/mapView.ts';

const HEIGHT_PX = 56;

function label(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
}

export function Timeline({ map }: { map: MapData | null }) {
  const mapVersion = useStore((s) => s.mapVersion);
  const brush = useViewStore((s) => s.timeBrush);
  const canvasRef = useRef<HTMLCanvasElement | null>(null);
  const [drag, setDrag] = useState<{ fromX: number; toX: number } | null>(null);
  const range = useMemo(() => {
    if (!map) return null;
    let min = Infinity;
    let max = -Infinity;
    for (let p = 0; p < map.pointCount; p++) {
      const t = map.pointTimeMs(p);
      if (t === null) continue;
      min = Math.min(min, t);
      max = Math.max(max, t);
    }
    if (!Number.isFinite(min)) return null;
    // A little margin so the first and last points can be brushed.
    const pad = Math.max(1000, (max - min) * 0.02);
    return { startMs: min - pad, endMs: max + pad };
    // mapVersion: the map's arrays change in place.
  }, [map, mapVersion]);

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas || !map || !range) return;
    const w = canvas.clientWidth;
    canvas.width = w;
    canvas.height = HEIGHT_PX;
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    const bins = new Float32Array(Math.max(1, Math.floor(w / 2)));
    const span = range.endMs - range.startMs;
    for (let p = 0; p < map.pointCount; p++) {
      const t = map.pointTimeMs(p);
      if (t === null) continue;
      const b = Math.min(bins.length - 1, Math.floor(((t - range.startMs) / span) * bins.length));
      bins[b] = (bins[b] ?? 0) + 1;
    }
    const peak = Math.max(1, ...bins);
    ctx.fillStyle = '#12151c';
    ctx.fillRect(0, 0, w, HEIGHT_PX);
    ctx.fillStyle = '#6fa8dc';
    bins.forEach((v, i) => {
      const h = (v / peak) * (HEIGHT_PX - 14);
      ctx.fillRect(i * 2, HEIGHT_PX - 12 - h, 2, h);
    });
    ctx.fillStyle = '#9aa';
    ctx.font = '10px sans-serif';
    ctx.fillText(label(range.startMs), 2, HEIGHT_PX - 2);
    const end = label(range.endMs);
    ctx.fillText(end, w - ctx.measureText(end).width - 2, HEIGHT_PX - 2);
  }, [map, range, mapVersion]);

  if (!map || !range) return null;
  const span = range.endMs - range.startMs;
  const xToMs = (x: number, width: number) => range.startMs + (Math.max(0, Math.min(width, x)) / width) * span;
  const shown = drag ? [Math.min(drag.fromX, drag.toX), Math.max(drag.fromX, drag.toX)] : null;
  const widthPx = canvasRef.current?.clientWidth ?? 1;
  const brushPx =
    shown ??
    (brush ? [((brush[0] - range.startMs) / span) * widthPx, ((brush[1] - range.startMs) / span) * widthPx] : null);
  return (
    <div
      className="timeline"
      data-testid="timeline"
      data-start-ms={range.startMs}
      data-end-ms={range.endMs}
      data-brush={brush ? `${brush[0]},${brush[1]}` : ''}
      style={{ height: HEIGHT_PX }}
      title="Drag to pick a time range; click to clear"
      onPointerDown={(e) => {
        const x = e.clientX - e.currentTarget.getBoundingClientRect().left;
        e.currentTarget.setPointerCapture(e.pointerId);
        setDrag({ fromX: x, toX: x });
      }}
      onPointerMove={(e) => {
        if (!drag) return;
        setDrag({ ...drag, toX: e.clientX - e.currentTarget.getBoundingClientRect().left });
      }}
      onPointerUp={(e) => {
        if (!drag) return;
        const width = e.currentTarget.getBoundingClientRect().width;
        const a = Math.min(drag.fromX, drag.toX);
        const b = Math.max(drag.fromX, drag.toX);
        setDrag(null);
        setTimeBrush(map, b - a < 3 ? null : [xToMs(a, width), xToMs(b, width)]);
      }}
    >
      <canvas ref={canvasRef} style={{ width: '100%', height: HEIGHT_PX, display: 'block' }} />
      {brushPx && (
        <div
          data-testid="timeline-brush"
          style={{
            position: 'absolute',
            top: 0,
            bottom: 0,
            left: brushPx[0],
            width: Math.max(1, (brushPx[1] ?? 0) - (brushPx[0] ?? 0)),
            background: 'rgba(255,220,120,0.25)',
            borderLeft: '1px solid #fc6',
            borderRight: '1px solid #fc6',
            pointerEvents: 'none',
          }}
        />
      )}
      {brush && !drag && (
        <span
          className="note"
          data-testid="timeline-brush-label"
          style={{ position: 'absolute', top: 2, left: 4, fontSize: 11 }}
        >
          {label(brush[0])} – {label(brush[1])} UTC
        </span>
      )}
    </div>
  );
}
