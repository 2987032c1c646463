import { describe, expect, it } from 'vitest';
import { secondOfDayUtc, timeFromBext, timeFromComment, timeFromFileName } from './recordingTime.ts';

const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());

describe('timeFromFileName', () => {
  it('reads MBARI MARS names', () => {
    const t = timeFromFileName('archive/2024/MARS_20240315_123000.wav');
    expect(t?.source).toBe('mars');
    expect(iso(t?.startMs)).toBe('2024-03-15T12:30:00.000Z');
  });
  it('reads AudioMoth-style stamps', () => {
    expect(iso(timeFromFileName('20230701_054500.WAV')?.startMs)).toBe('2023-07-01T05:45:00.000Z');
    expect(iso(timeFromFileName('site3_20230701-054500.flac')?.startMs)).toBe('2023-07-01T05:45:00.000Z');
  });
  it('reads ISO-like stamps with zones and fractions', () => {
    expect(iso(timeFromFileName('rec 2022-11-02T23-59-58.250+02:00.wav')?.startMs)).toBe('2022-11-02T21:59:58.250Z');
    expect(iso(timeFromFileName('2022-11-02 07:05:00.wav')?.startMs)).toBe('2022-11-02T07:05:00.000Z');
    expect(iso(timeFromFileName('hydro_20221102T070500Z.wav')?.startMs)).toBe('2022-11-02T07:05:00.000Z');
  });
  it('rejects what is not a real time', () => {
    expect(timeFromFileName('1-100-A-0.wav')).toBeNull();
    expect(timeFromFileName('MARS_20240231_123000.wav')).toBeNull(); // 31 February
    expect(timeFromFileName('20241301_000000.wav')).toBeNull(); // month 13
    expect(timeFromFileName('id_123456789012345.wav')).toBeNull();
  });
});

describe('metadata', () => {
  it('reads BWF bext origination fields', () => {
    expect(iso(timeFromBext('2021-06-30', '04:15:09')?.startMs)).toBe('2021-06-30T04:15:09.000Z');
    expect(timeFromBext('', '')).toBeNull();
  });
  it("reads AudioMoth's comment, honouring its UTC offset", () => {
    const t = timeFromComment('Recorded at 12:30:00 05/03/2024 (UTC+1) by AudioMoth 24F3190359FB7C0A at medium gain');
    expect(iso(t?.startMs)).toBe('2024-03-05T11:30:00.000Z');
    expect(iso(timeFromComment('Recorded at 00:00:10 01/01/2020 (UTC) by AudioMoth')?.startMs)).toBe(
      '2020-01-01T00:00:10.000Z',
    );
  });
  it('gives the second of the day', () => {
    expect(secondOfDayUtc(Date.UTC(2024, 0, 1, 13, 0, 30))).toBe(13 * 3600 + 30);
    expect(secondOfDayUtc(-1000)).toBe(86399);
  });
});
