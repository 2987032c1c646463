// Unit tests for the per-dataset origin policy: the page's and agreed origins pass, new ones are asked about once (concurrent fetches share the question), a no is remembered and named, an abort is not a no.
import { describe, expect, it } from 'vitest';
import { EarshotError } from '../lib/errors.ts';
import { OriginPolicy, originOfUrl } from './originPolicy.ts';
import { settledCodeOf } from '../lib/testErrors.ts';

const PAGE = 'http://app.test:5173/index.html';

describe('OriginPolicy', () => {
  it('allows the page and the agreed origins without asking; relative URLs are the page', async () => {
    const asked: string[][] = [];
    const p = new OriginPolicy({
      pageHref: PAGE,
      agreed: ['https://a.test'],
      ask: async (o) => (asked.push([...o]), true),
    });
    await p.ensure(['/data/x.json', 'rel/y.bin', 'https://a.test/z', ''], 'files');
    expect(asked).toEqual([]);
    expect(p.allows('https://a.test:443/q')).toBe(true);
    expect(p.allows('https://b.test/q')).toBe(false);
    expect(originOfUrl('//b.test/x', PAGE)).toBe('http://b.test');
  });

  it('asks once for all new origins of one call, and concurrent calls share the answer', async () => {
    const asked: string[][] = [];
    let answer: (yes: boolean) => void = () => undefined;
    const p = new OriginPolicy({ pageHref: PAGE, ask: (o) => (asked.push([...o]), new Promise((r) => (answer = r))) });
    const first = p.ensure(['https://b.test/1', 'https://c.test/2', 'https://b.test/3'], "the dataset's audio files");
    const second = p.ensure(['https://c.test/9'], 'audio file');
    await Promise.resolve();
    expect(asked).toEqual([['https://b.test', 'https://c.test']]);
    answer(true);
    await first;
    await second;
    await p.ensure(['https://b.test/later'], 'x');
    expect(asked).toHaveLength(1);
    expect(p.agreedOrigins()).toEqual(['https://b.test', 'https://c.test']);
  });

  it('a no refuses with the origin named, and is remembered without asking again', async () => {
    let asks = 0;
    const p = new OriginPolicy({ pageHref: PAGE, agreed: ['https://a.test'], ask: async () => (asks++, false) });
    expect(await settledCodeOf(p.ensure(['https://evil.test/a.wav'], "the dataset's audio files"))).toBe(
      "E_ORIGIN_REFUSED: Refused https://evil.test (the dataset's audio files): you declined that site for this dataset, so nothing was read from it.",
    );
    expect(await settledCodeOf(p.ensure(['https://evil.test/b.wav'], 'audio file'))).toMatch(
      /^E_ORIGIN_REFUSED: Refused https:\/\/evil\.test/,
    );
    expect(asks).toBe(1);
  });

  it('without anyone to ask, every other origin is refused; an aborted question is not a no', async () => {
    const closed = new OriginPolicy({ pageHref: PAGE, ask: null });
    expect(await settledCodeOf(closed.ensure(['https://b.test/x'], 'audio file'))).toMatch(
      /Refused https:\/\/b\.test \(audio file\): it is not a site you agreed to/,
    );
    let calls = 0;
    const p = new OriginPolicy({
      pageHref: PAGE,
      ask: async () => (++calls === 1 ? Promise.reject(new EarshotError('E_ABORTED', 'cancelled')) : true),
    });
    expect(await settledCodeOf(p.ensure(['https://b.test/x'], 'x'))).toBe('E_ABORTED: cancelled');
    expect(await settledCodeOf(p.ensure(['https://b.test/x'], 'x'))).toBe('ok');
  });
});
