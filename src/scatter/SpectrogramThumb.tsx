// One spectrogram thumbnail: copies a SpriteAtlas (or other ThumbSource) cell into a <canvas>; must not own or mutate the atlas.
import { useEffect, useRef } from 'react';
import type { ReactElement } from 'react';
import type { ThumbSource } from '../dataset/mapData.ts';

export interface SpectrogramThumbProps {
  /** The SpriteAtlas, or any source of cells (an opened dataset's lazily fetched sprites). */
  atlas: ThumbSource;
  /** Bump to redraw when the source's pixels changed (a lazily fetched cell arrived). */
  version?: number;
  /** Cell to show; null (or an id not in the atlas yet) shows an empty frame. */
  cellId: number | null;
  /** Displayed size in CSS px; the canvas keeps the cell's native resolution and is scaled by CSS. */
  widthPx: number;
  heightPx: number;
  /** Smooth (bilinear) scaling instead of crisp pixels. Pixelated is the default: mel bands stay legible. */
  smooth?: boolean;
  'data-testid'?: string;
}

/**
 * Draws the cell with putImageData at native size (96×64 by default) and lets CSS scale it: no per-pixel work in JS
 * beyond one copy, and the browser's scaler is free. `data-cell` says what is on the canvas: the cell id, or "none",
 * so tests and styles can tell an empty thumbnail from a drawn one.
 */
export function SpectrogramThumb(props: SpectrogramThumbProps): ReactElement {
  const { atlas, cellId, widthPx, heightPx, smooth = false } = props;
  const canvasRef = useRef<HTMLCanvasElement | null>(null);
  const drawable = cellId !== null && Number.isInteger(cellId) && cellId >= 0 && cellId < atlas.cellCount;

  useEffect(() => {
    const canvas = canvasRef.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    if (!drawable) {
      ctx.clearRect(0, 0, canvas.width, canvas.height);
      return;
    }
    const rgba = atlas.getCellRGBA(cellId);
    ctx.putImageData(new ImageData(rgba, atlas.cellWidthPx, atlas.cellHeightPx), 0, 0);
  }, [atlas, cellId, drawable, props.version]);

  return (
    <canvas
      ref={canvasRef}
      width={atlas.cellWidthPx}
      height={atlas.cellHeightPx}
      data-testid={props['data-testid']}
      data-cell={drawable ? String(cellId) : 'none'}
      role="img"
      aria-label={drawable ? 'Spectrogram thumbnail' : 'No spectrogram'}
      style={{
        width: `${widthPx}px`,
        height: `${heightPx}px`,
        imageRendering: smooth ? 'auto' : 'pixelated',
        background: '#000004',
        display: 'block',
      }}
    />
  );
}
