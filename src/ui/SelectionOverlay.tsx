// Lasso / box selection over the 3D map: a tool switch and an SVG that captures the drag in client px; selection
// maths lives in app/explore.ts. Shift adds, Alt subtracts. Must not project points itself or hold big arrays.
import { useRef, useState, type PointerEvent as ReactPointerEvent } from 'react';
import { useExploreStore, type SelectTool } from '../state/exploreStore.ts';
import { selectRegion, setSelection } from '../app/explore.ts';
import { scatterApi } from '../app/datasetController.ts';
import { useViewStore } from '../state/viewStore.ts';
import type { ScatterApi } from '../scatter/ScatterView.tsx';

const TOOLS: { tool: SelectTool; text: string; title: string }[] = [
  { tool: 'orbit', text: 'Orbit', title: 'Drag to orbit, hover to listen' },
  { tool: 'lasso', text: 'Lasso', title: 'Draw around points to select them (Shift adds, Alt subtracts)' },
  { tool: 'box', text: 'Box', title: 'Drag a box to select points (Shift adds, Alt subtracts)' },
];

export interface SelectionOverlayProps {
  /** The view whose projection a drawn region selects in (default: the map's view). */
  api?: { current: ScatterApi | null };
  /** The tool buttons are drawn once, over the first view. */
  showTools?: boolean;
  /** Suffix for the overlay's test id (a second view's is "select-overlay-twin"). */
  testIdSuffix?: string;
  /** Hover goes on while a selection tool is on: the overlay picks under the cursor and reports it here. */
  onHover?: (index: number | null) => void;
}

export function SelectionOverlay({ api, showTools = true, testIdSuffix = '', onHover }: SelectionOverlayProps = {}) {
  const tool = useExploreStore((s) => s.tool);
  const selected = useViewStore((s) => s.selection.length);
  const svgRef = useRef<SVGSVGElement | null>(null);
  const [path, setPath] = useState<number[] | null>(null);
  const dragRef = useRef<{ points: number[]; mode: 'replace' | 'add' | 'subtract' } | null>(null);

  const local = (e: ReactPointerEvent): [number, number] => {
    const r = svgRef.current?.getBoundingClientRect();
    return [e.clientX - (r?.left ?? 0), e.clientY - (r?.top ?? 0)];
  };
  const onDown = (e: ReactPointerEvent<SVGSVGElement>) => {
    if (e.button !== 0) return;
    e.currentTarget.setPointerCapture(e.pointerId);
    dragRef.current = { points: [e.clientX, e.clientY], mode: e.altKey ? 'subtract' : e.shiftKey ? 'add' : 'replace' };
    setPath(local(e));
  };
  const onMove = (e: ReactPointerEvent<SVGSVGElement>) => {
    const d = dragRef.current;
    if (!d) {
      // Not drawing: the cursor still listens, as in Orbit.
      const hit = (api ?? scatterApi).current?.pick(e.clientX, e.clientY) ?? -1;
      onHover?.(hit >= 0 ? hit : null);
      return;
    }
    const [x, y] = local(e);
    if (tool === 'box') {
      const [x0, y0] = [d.points[0]!, d.points[1]!];
      d.points = [x0, y0, e.clientX, e.clientY];
      const r = svgRef.current?.getBoundingClientRect();
      const lx0 = x0 - (r?.left ?? 0);
      const ly0 = y0 - (r?.top ?? 0);
      setPath([lx0, ly0, x, ly0, x, y, lx0, y]);
    } else {
      d.points.push(e.clientX, e.clientY);
      setPath((p) => [...(p ?? []), x, y]);
    }
  };
  const onUp = () => {
    const d = dragRef.current;
    dragRef.current = null;
    setPath(null);
    if (!d) return;
    let poly = d.points;
    if (tool === 'box' && poly.length === 4) {
      const [x0, y0, x1, y1] = poly as [number, number, number, number];
      poly = [x0, y0, x1, y0, x1, y1, x0, y1];
    }
    if (poly.length >= 6) selectRegion(poly, d.mode, api);
  };

  return (
    <>
      {showTools && (
        <div className="select-tools" role="group" aria-label="Map tool">
          {TOOLS.map((t) => (
            <button
              key={t.tool}
              type="button"
              data-testid={`tool-${t.tool}`}
              className={tool === t.tool ? 'on' : ''}
              title={t.title}
              onClick={() => useExploreStore.setState({ tool: t.tool })}
            >
              {t.text}
            </button>
          ))}
          {tool !== 'orbit' && (
            <span className="tool-hint" data-testid="tool-hint">
              {tool === 'lasso' ? 'Lasso' : 'Box'} stays on for more selections · Esc or Orbit to leave
            </span>
          )}
          {selected > 0 && (
            <button type="button" data-testid="selection-clear" onClick={() => setSelection([])}>
              Clear selection
            </button>
          )}
        </div>
      )}
      {tool !== 'orbit' && (
        <svg
          ref={svgRef}
          className="select-overlay"
          data-testid={`select-overlay${testIdSuffix}`}
          onPointerDown={onDown}
          onPointerMove={onMove}
          onPointerUp={onUp}
          onPointerCancel={onUp}
        >
          {path && path.length >= 4 && (
            <polygon
              points={path.join(' ')}
              fill="rgba(120,170,255,0.12)"
              stroke="#8fb3ff"
              strokeWidth={1.5}
              strokeDasharray="4 3"
            />
          )}
        </svg>
      )}
    </>
  );
}
