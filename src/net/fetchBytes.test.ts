// Unit tests for fetchBytes with a stubbed fetch: the origin policy (redirects to an origin not agreed are not read until the person agrees) and the stall timeout (no response, a trickle); Node only.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { OriginPolicy } from '../share/originPolicy.ts';
import { STALL_MIN_BYTES, STALL_TIMEOUT_MS, fetchBytes, stallTimeoutMs } from './fetchBytes.ts';
import { settledCodeOf } from '../lib/testErrors.ts';

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

afterEach(() => vi.unstubAllGlobals());

describe('fetchBytes and the origin policy', () => {
  it('drops a response redirected to an origin not agreed, unread, and refuses when the person says no', async () => {
    const cancelled = { value: false };
    const fetchMock = vi.fn(async () =>
      responseFrom('https://b.test/moved.json', new Uint8Array([1, 2, 3]), cancelled),
    );
    vi.stubGlobal('fetch', fetchMock);
    const asked: string[][] = [];
    const origins = new OriginPolicy({
      pageHref: PAGE,
      agreed: ['https://a.test'],
      ask: async (o) => (asked.push([...o]), false),
    });
    const got = await settledCodeOf(
      fetchBytes('https://a.test/x.json', { maxBytes: 100, what: 'the dataset file', origins }),
    );
    expect(got).toMatch(
      /^E_ORIGIN_REFUSED: Refused https:\/\/b\.test \(the dataset file: https:\/\/a\.test\/x\.json redirected to https:\/\/b\.test\/moved\.json\)/,
    );
    expect(asked).toEqual([['https://b.test']]);
    expect(cancelled.value).toBe(true);
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });

  it('after a yes, asks the same URL again and reads it', async () => {
    const fetchMock = vi.fn(async () =>
      responseFrom('https://b.test/moved.json', new Uint8Array([1, 2, 3]), { value: false }),
    );
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
    expect(
      await settledCodeOf(fetchBytes('https://c.test/a.wav', { maxBytes: 100, what: 'audio file', origins })),
    ).toMatch(/^E_ORIGIN_REFUSED: Refused https:\/\/c\.test/);
    expect(fetchMock).not.toHaveBeenCalled();
  });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A 200 whose body is `chunks` chunks of `chunkBytes`, one every `everyMs` (Infinity chunks: never ends). */
function trickle(chunkBytes: number, everyMs: number, chunks: number): Response {
  let sent = 0;
  const body = new ReadableStream<Uint8Array>({
    async pull(c) {
      await sleep(everyMs);
      if (sent++ >= chunks) c.close();
      else c.enqueue(new Uint8Array(chunkBytes).fill(7));
    },
  });
  return new Response(body, { status: 200 });
}

describe('fetchBytes stall timeout', () => {
  it('defaults to 15 s without progress', () => {
    expect(STALL_TIMEOUT_MS).toBe(15_000);
    expect(stallTimeoutMs()).toBe(STALL_TIMEOUT_MS);
  });

  it('a server that never answers fails with E_STALLED naming the URL, instead of loading forever', async () => {
    vi.stubGlobal(
      'fetch',
      (_url: string, init: RequestInit) =>
        new Promise((_, reject) =>
          init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))),
        ),
    );
    const t0 = performance.now();
    const got = await settledCodeOf(
      fetchBytes('http://slow.test/earshot-dataset.json', {
        maxBytes: 1000,
        what: 'the dataset file',
        stallTimeoutMs: 100,
      }),
    );
    expect(got).toBe(
      'E_STALLED: The server stalled: no response for the dataset file (http://slow.test/earshot-dataset.json) in 0.1 s. It may be overloaded or down; try again later.',
    );
    expect(performance.now() - t0).toBeLessThan(2000);
  });

  it('headers, then a byte every so often, is a stall too (progress under STALL_MIN_BYTES per window)', async () => {
    vi.stubGlobal('fetch', async () => trickle(1, 20, Infinity));
    const got = await settledCodeOf(
      fetchBytes('http://slow.test/columns/positions.f32', {
        maxBytes: 1e6,
        what: 'positions.f32',
        stallTimeoutMs: 150,
      }),
    );
    expect(got).toMatch(
      /^E_STALLED: The server stalled: positions\.f32 \(http:\/\/slow\.test\/columns\/positions\.f32\) stopped arriving after \d+ bytes \(less than 1\.0 KiB in 0\.1 s\)/,
    );
  });

  it('a slow but steady body is not a stall, and an outer abort is still an abort', async () => {
    vi.stubGlobal('fetch', async () => trickle(STALL_MIN_BYTES, 40, 8));
    const got = await fetchBytes('http://slow.test/a.bin', { maxBytes: 1e6, what: 'a.bin', stallTimeoutMs: 150 });
    expect(got.bytes.length).toBe(8 * STALL_MIN_BYTES);
    vi.stubGlobal(
      'fetch',
      (_url: string, init: RequestInit) =>
        new Promise((_, reject) =>
          init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))),
        ),
    );
    const ctl = new AbortController();
    setTimeout(() => ctl.abort(), 20);
    expect(
      await settledCodeOf(
        fetchBytes('http://slow.test/b.bin', { maxBytes: 10, what: 'b.bin', stallTimeoutMs: 5000, signal: ctl.signal }),
      ),
    ).toMatch(/^E_ABORTED/);
  });
});
