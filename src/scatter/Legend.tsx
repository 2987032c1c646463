// Label legend: colour swatch, label text and count per entry; must not render labels as HTML or hold state.
import type { ReactElement } from 'react';

export interface LegendEntry {
  label: string;
  /** RGB in 0..1, as from categoricalColor. */
  color: [number, number, number];
  count: number;
}

export interface LegendProps {
  entries: LegendEntry[];
  /** Labels filtered out (drawn struck through). */
  hidden?: readonly string[];
  /** Click: hide/show a label; alt/shift-click: show only it. Without it the legend is static. */
  onToggle?: (label: string, isolate: boolean) => void;
}

const toCssRgb = (c: [number, number, number]): string =>
  `rgb(${c.map((v) => Math.round(Math.min(1, Math.max(0, v)) * 255)).join(' ')})`;

/** Labels come from user files (folder names, CSV cells), so they only ever go through React text nodes. */
export function Legend({ entries, hidden, onToggle }: LegendProps): ReactElement {
  return (
    <ul
      data-testid="legend"
      className={onToggle ? 'legend-clickable' : undefined}
      style={{ listStyle: 'none', margin: 0, padding: 0, font: '12px/1.5 system-ui, sans-serif', color: '#d8dbe2' }}
    >
      {entries.map((e, i) => (
        <li
          key={`${i}:${e.label}`}
          data-testid="legend-entry"
          style={{ display: 'flex', alignItems: 'center', gap: 8 }}
          title={e.label}
          className={hidden?.includes(e.label) ? 'hidden-label' : undefined}
          onClick={onToggle ? (ev) => onToggle(e.label, ev.altKey || ev.shiftKey) : undefined}
        >
          <span
            aria-hidden="true"
            style={{ width: 10, height: 10, borderRadius: '50%', background: toCssRgb(e.color), flex: 'none' }}
          />
          <span style={{ flex: 1, minWidth: 0, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>
            {e.label}
          </span>
          <span style={{ color: '#8a90a0', fontVariantNumeric: 'tabular-nums' }}>
            {e.count.toLocaleString('en-US')}
          </span>
        </li>
      ))}
    </ul>
  );
}
