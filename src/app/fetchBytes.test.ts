// Unit tests for fetchBytes under an origin policy (redirects to an origin not agreed are not read until the person agrees) with a stubbed fetch; Node only.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EarshotError } from '../lib/errors.ts';
import { OriginPolicy } from '../share/originPolicy.ts';
import { fetchBytes } from './fetchBytes.ts';

const PAGE = 'http://app.test/';

/** A 200 response as if the browser followed redirects to `finalUrl`; `cancelled` records whether its body was dropped. */
function responseFrom(finalUrl: string, body: Uint8Array, cancelled: { value: boolean }): Response {
  const stream = new ReadableStream<Uint8Array>({
    start: (c) => {
      c.enqueue(body);
      c.close();
    },
    cancel: () => void (cancelled.value = true),
  });
  const res = new Response(stream, { status: 200, headers: { 'Content-Length': String(body.length) } });
  Object.defineProperty(res, 'url', { value: finalUrl });
  return res;
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (err) {
    return err instanceof EarshotError ? `${err.code}: ${err.message}` : String(err);
  }
}

afterEach(() => vi.unstubAllGlobals());

describe('fetchBytes and the origin policy', () => {
  it('drops a response redirected to an origin not agreed, unread, and refuses when the person says no', async () => {
    const cancelled = { value: false };
    const fetchMock = vi.fn(async () => responseFrom('https://b.test/moved.json', new Uint8Array([1, 2, 3]), cancelled));
    vi.stubGlobal('fetch', fetchMock);
    const asked: string[][] = [];
    const origins = new OriginPolicy({ pageHref: PAGE, agreed: ['https://a.test'], ask: async (o) => (asked.push([...o]), false) });
    const got = await codeOf(fetchBytes('https://a.test/x.json', { maxBytes: 100, what: 'the dataset file', origins }));
    expect(got).toMatch(/^E_ORIGIN_REFUSED: Refused https:\/\/b\.test \(the dataset file: https:\/\/a\.test\/x\.json redirected to https:\/\/b\.test\/moved\.json\)/);
    expect(asked).toEqual([['https://b.test']]);
    expect(cancelled.value).toBe(true);
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });

  it('after a yes, asks the same URL again and reads it', async () => {
    const fetchMock = vi.fn(async () => responseFrom('https://b.test/moved.json', new Uint8Array([1, 2, 3]), { value: false }));
    vi.stubGlobal('fetch', fetchMock);
    const origins = new OriginPolicy({ pageHref: PAGE, agreed: ['https://a.test'], ask: async () => true });
    const got = await fetchBytes('https://a.test/x.json', { maxBytes: 100, what: 'the dataset file', origins });
    expect([...got.bytes]).toEqual([1, 2, 3]);
    expect(fetchMock).toHaveBeenCalledTimes(2);
  });

  it('never requests a URL on an origin not agreed when the person says no', async () => {
    const fetchMock = vi.fn(async () => responseFrom('https://c.test/a.wav', new Uint8Array(4), { value: false }));
    vi.stubGlobal('fetch', fetchMock);
    const origins = new OriginPolicy({ pageHref: PAGE, agreed: ['https://a.test'], ask: async () => false });
    expect(await codeOf(fetchBytes('https://c.test/a.wav', { maxBytes: 100, what: 'audio file', origins }))).toMatch(/^E_ORIGIN_REFUSED: Refused https:\/\/c\.test/);
    expect(fetchMock).not.toHaveBeenCalled();
  });
});
