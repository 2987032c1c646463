// Recording start times from file names and WAV metadata text (MARS, AudioMoth, ISO-like stamps, BWF
// bext, AudioMoth comments). Pure: no DOM, no I/O; returns UTC epoch milliseconds or null.

export type TimeSource = 'mars' | 'timestamp' | 'iso' | 'bext' | 'comment';

export interface RecordingTime {
  startMs: number;
  source: TimeSource;
}

function utc(y: number, mo: number, d: number, h: number, mi: number, s: number, ms = 0): number | null {
  if (y < 1900 || y > 2200 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return null;
  const t = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  // Date.UTC rolls 31 February over into March; a stamp that rolls over is not a real date.
  return new Date(t).getUTCDate() === d ? t : null;
}

const n = (s: string | undefined): number => Number(s ?? NaN);

/** Offset like "Z", "+02:00", "-0530" → minutes east of UTC; undefined → 0 (stamps without a zone are read as UTC). */
function offsetMinutes(zone: string | undefined): number {
  if (!zone || zone === 'Z' || zone === 'z') return 0;
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone);
  if (!m) return 0;
  return (m[1] === '-' ? -1 : 1) * (n(m[2]) * 60 + n(m[3] ?? '0'));
}

/**
 * Start time from a file name. Recognises, anywhere in the name:
 * - MBARI MARS `MARS_YYYYMMDD_HHMMSS` (also `MARS-…`), UTC;
 * - AudioMoth / Song Meter style `YYYYMMDD_HHMMSS` or `YYYYMMDD-HHMMSS` (optionally `…_HHMMSS.mmm`), read as UTC;
 * - ISO-like `YYYY-MM-DD[T _]HH[:-]MM[:-]SS[.fff][Z|±hh:mm]` and compact `YYYYMMDDTHHMMSS[Z]`.
 */
export function timeFromFileName(fileName: string): RecordingTime | null {
  const base = fileName.replace(/^.*[\\/]/, '');
  const mars = /MARS[_-](\d{4})(\d{2})(\d{2})[_-](\d{2})(\d{2})(\d{2})/i.exec(base);
  if (mars) {
    const t = utc(n(mars[1]), n(mars[2]), n(mars[3]), n(mars[4]), n(mars[5]), n(mars[6]));
    if (t !== null) return { startMs: t, source: 'mars' };
  }
  const iso =
    /(\d{4})-(\d{2})-(\d{2})[T _](\d{2})[:\-.]?(\d{2})[:\-.]?(\d{2})(?:[.,](\d{1,3}))?(Z|[+-]\d{2}:?\d{2})?/.exec(base);
  if (iso) {
    const t = utc(
      n(iso[1]),
      n(iso[2]),
      n(iso[3]),
      n(iso[4]),
      n(iso[5]),
      n(iso[6]),
      iso[7] ? n(iso[7].padEnd(3, '0')) : 0,
    );
    if (t !== null) return { startMs: t - offsetMinutes(iso[8]) * 60_000, source: 'iso' };
  }
  const compact =
    /(?:^|[^0-9])(\d{4})(\d{2})(\d{2})[T_-](\d{2})(\d{2})(\d{2})(?:[.](\d{1,3}))?(Z|[+-]\d{2}:?\d{2})?(?:[^0-9]|$)/.exec(
      base,
    );
  if (compact) {
    const t = utc(
      n(compact[1]),
      n(compact[2]),
      n(compact[3]),
      n(compact[4]),
      n(compact[5]),
      n(compact[6]),
      compact[7] ? n(compact[7].padEnd(3, '0')) : 0,
    );
    if (t !== null) return { startMs: t - offsetMinutes(compact[8]) * 60_000, source: 'timestamp' };
  }
  return null;
}

/** BWF `bext` OriginationDate ("YYYY-MM-DD") and OriginationTime ("HH:MM:SS"), local to the recorder: read as UTC. */
export function timeFromBext(originationDate: string, originationTime: string): RecordingTime | null {
  const d = /^(\d{4})[-:/ ](\d{2})[-:/ ](\d{2})/.exec(originationDate.trim());
  const t = /^(\d{2})[-:. ](\d{2})[-:. ](\d{2})/.exec(originationTime.trim());
  if (!d || !t) return null;
  const ms = utc(n(d[1]), n(d[2]), n(d[3]), n(t[1]), n(t[2]), n(t[3]));
  return ms === null ? null : { startMs: ms, source: 'bext' };
}

/** AudioMoth's ICMT comment: "Recorded at 12:30:00 05/03/2024 (UTC+1) by AudioMoth …" (day/month/year). */
export function timeFromComment(comment: string): RecordingTime | null {
  const m =
    /Recorded at (\d{2}):(\d{2}):(\d{2}) (\d{2})\/(\d{2})\/(\d{4}) \(UTC(?:([+-])(\d{1,2})(?::?(\d{2}))?)?\)/.exec(
      comment,
    );
  if (!m) return null;
  const t = utc(n(m[6]), n(m[5]), n(m[4]), n(m[1]), n(m[2]), n(m[3]));
  if (t === null) return null;
  const offsetMin = m[7] ? (m[7] === '-' ? -1 : 1) * (n(m[8]) * 60 + n(m[9] ?? '0')) : 0;
  return { startMs: t - offsetMin * 60_000, source: 'comment' };
}

/** Seconds since local-to-UTC midnight, for colouring by time of day (0 … 86400). */
export function secondOfDayUtc(epochMs: number): number {
  const day = 86_400_000;
  return (((epochMs % day) + day) % day) / 1000;
}
