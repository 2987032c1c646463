// Class maps for score outputs: parses YAMNet-style CSV (index,mid,display_name; header; CRLF or LF; quoted fields) and picks top classes; pure, no fetch.

/** Display names by class index. Throws on a file that is not such a CSV. */
export function parseClassMap(text: string, maxClasses = 100_000): string[] {
  const names: string[] = [];
  const rows = parseCsv(text);
  const header = rows[0]?.map((h) => h.trim().toLowerCase()) ?? [];
  const nameCol = header.indexOf('display_name');
  const indexCol = header.indexOf('index');
  if (nameCol < 0) throw new Error('class map: no "display_name" column in the header');
  for (const row of rows.slice(1)) {
    if (row.length === 1 && row[0] === '') continue;
    const idx = indexCol >= 0 ? Number(row[indexCol]) : names.length;
    if (!Number.isInteger(idx) || idx < 0 || idx >= maxClasses)
      throw new Error(`class map: bad index "${row[indexCol] ?? ''}"`);
    names[idx] = row[nameCol] ?? '';
  }
  return Array.from(names, (n, i) => n ?? `class ${i}`);
}

/** RFC 4180-ish: commas, double quotes with "" escapes, CRLF or LF line ends. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

export interface TopClass {
  index: number;
  name: string;
  score: number;
}

/** The k highest scores, best first. */
export function topClasses(scores: ArrayLike<number>, names: readonly string[] | null, k: number): TopClass[] {
  const idx = Array.from({ length: scores.length }, (_, i) => i);
  idx.sort((a, b) => (scores[b] ?? 0) - (scores[a] ?? 0));
  return idx.slice(0, k).map((i) => ({ index: i, name: names?.[i] ?? `class ${i}`, score: scores[i] ?? 0 }));
}
