// Unit tests for CSV export: RFC 4180 quoting, formula-injection guard, numbers left alone, parse round trip; Node only, no DOM.
import { describe, expect, it } from 'vitest';
import { EarshotError } from '../../lib/errors.ts';
import { buildPointsCsv, csvCell, parseCsv, toCsv, unguardCsvCell } from './csv.ts';

describe('csvCell', () => {
  it('quotes commas, quotes and line breaks, doubling quotes', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell(null)).toBe('');
    expect(csvCell(NaN)).toBe('');
  });
  it('guards text that a spreadsheet would run as a formula', () => {
    expect(csvCell('=HYPERLINK("http://evil","x")')).toBe(`"'=HYPERLINK(""http://evil"",""x"")"`);
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\t=1')).toBe("'\t=1");
    expect(csvCell('a=1')).toBe('a=1');
  });
  it('writes numbers as numbers, unguarded', () => {
    expect(csvCell(-0.5)).toBe('-0.5');
    expect(csvCell(1e-7)).toBe('1e-7');
  });
});

describe('buildPointsCsv / parseCsv', () => {
  it('round-trips metadata, layout and embeddings', () => {
    const points = [
      { file: 'dogs/a,b.wav', startSec: 0, endSec: 0.96, label: 'dog "big"' },
      { file: "=cmd|' /C calc'!A0", startSec: 0.48, endSec: 1.44, label: null },
      { file: 'x\ny.wav', startSec: 1, endSec: 2, label: '-minus' },
    ];
    const positions = Float32Array.from([0.1, -0.2, 3, 4, 5, 6, 7, 8, 9.5]);
    const embeddings = { values: Float32Array.from([1 / 3, 2, -1e-6, 4, 5, 6]), dim: 2 };
    const text = buildPointsCsv({
      points,
      positions,
      embeddings,
      extraColumns: [{ name: 'centroid_hz', values: [100, null, 300] }],
    });
    expect(text.endsWith('\r\n')).toBe(true);
    const rows = parseCsv(text);
    expect(rows[0]).toEqual(['index', 'file', 'start_s', 'end_s', 'label', 'x', 'y', 'z', 'centroid_hz', 'e0', 'e1']);
    expect(rows).toHaveLength(4);
    expect(rows[1]!.slice(1, 5)).toEqual(['dogs/a,b.wav', '0', '0.96', 'dog "big"']);
    expect(rows[2]![1]).toBe("'=cmd|' /C calc'!A0");
    expect(unguardCsvCell(rows[2]![1]!)).toBe(points[1]!.file);
    expect(rows[2]![4]).toBe('');
    expect(rows[3]![1]).toBe('x\ny.wav');
    expect(rows[3]![4]).toBe("'-minus");
    const pos = rows.slice(1).flatMap((r) => r.slice(5, 8).map((c) => Math.fround(Number(c))));
    expect(pos).toEqual(Array.from(positions));
    expect(rows[1]![5]).toBe('0.1'); // shortest text that reads back as the same float32
    const emb = rows.slice(1).flatMap((r) => r.slice(9).map((c) => Math.fround(Number(c))));
    expect(emb).toEqual(Array.from(embeddings.values));
    expect(rows[2]![8]).toBe('');
  });
  it('parses LF, CRLF, empty fields and a missing final newline', () => {
    expect(parseCsv('a,b\n,c\r\n"",d')).toEqual([
      ['a', 'b'],
      ['', 'c'],
      ['', 'd'],
    ]);
    expect(parseCsv(toCsv([['1', '2']]))).toEqual([['1', '2']]);
  });
  it('rejects malformed quoting', () => {
    expect(() => parseCsv('"abc')).toThrow(EarshotError);
    expect(() => parseCsv('"a"b,c')).toThrow(/after a closing quote/);
    expect(() => parseCsv('a"b')).toThrow(/quote inside an unquoted field/);
  });
  it('checks input lengths', () => {
    expect(() =>
      buildPointsCsv({ points: [{ file: 'a', startSec: 0, endSec: 1, label: null }], positions: new Float32Array(2) }),
    ).toThrow(/positions has 2 values/);
  });
});
