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
  /** Entries shown alone ("solo"): the others are drawn faded. */
  isolated?: readonly string[];
  /** What a click does, said under the entries. */
  hint?: string;
  /** Click: hide/show a label; alt/shift-click: show only it. Without it the legend is static. */
  onToggle?: (label: string, isolate: boolean) => void;
}

const toCssRgb = (c: [number, number, number]): string =>
  `rgb(${c.map((v) => Math.round(Math.min(1, Math.max(0, v)) * 255)).join(' ')})`;

/** Labels come from user files (folder names, CSV cells), so they only ever go through React text nodes. */
function body(e: LegendEntry): ReactElement {
  return (
    <>
      <span
        aria-hidden="true"
        style={{ width: 10, height: 10, borderRadius: '50%', background: toCssRgb(e.color), flex: 'none' }}
      />
      <span style={{ flex: 1, minWidth: 0, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>
        {e.label}
      </span>
    </>
  );
}

export function Legend({ entries, hidden, isolated, hint, onToggle }: LegendProps): ReactElement {
  const solo = (isolated?.length ?? 0) > 0;
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
          data-state={
            hidden?.includes(e.label) ? 'hidden' : isolated?.includes(e.label) ? 'solo' : solo ? 'faded' : 'shown'
          }
          title={e.label}
          className={
            hidden?.includes(e.label)
              ? 'hidden-label'
              : isolated?.includes(e.label)
                ? 'solo-label'
                : solo
                  ? 'faded-label'
                  : undefined
          }
        >
          {onToggle ? (
            <button
              type="button"
              className="legend-button"
              aria-pressed={!(hidden?.includes(e.label) ?? false)}
              onClick={(ev) => onToggle(e.label, ev.altKey || ev.shiftKey)}
            >
              {body(e)}
            </button>
          ) : (
            <span className="legend-row">{body(e)}</span>
          )}
          {/* The count is the entry's last element (readers of the legend take it from there). */}
          <span style={{ color: '#8a90a0', fontVariantNumeric: 'tabular-nums' }}>
            {e.count.toLocaleString('en-US')}
          </span>
        </li>
      ))}
      {onToggle && hint && (
        <li className="legend-hint" data-testid="legend-hint">
          {hint}
        </li>
      )}
    </ul>
  );
}
