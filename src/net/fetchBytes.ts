// Fetching dataset files for the app: capped reads, HTTP Range with a fallback for servers that ignore it, retry with backoff and Range resume when a download breaks off, a stall timeout, only from agreed origins (redirects included), and errors that say what went wrong (status, CORS, size, stall); must not parse or trust what it fetches.
import { EarshotError, abortError } from '../lib/errors.ts';
import type { OriginPolicy } from '../share/originPolicy.ts';

export interface FetchBytesOptions {
  /** Refuse (E_TOO_LARGE) before reading more than this many bytes. */
  maxBytes: number;
  /** What is being fetched, for messages ("dataset manifest", "columns/positions.f32"). */
  what: string;
  signal?: AbortSignal | undefined;
  /** Byte range [start, endExclusive) of the resource (Infinity: to the end); the server may answer 206 or the whole file (200). */
  range?: { start: number; endExclusive: number } | null | undefined;
  onBytes?: ((received: number) => void) | undefined;
  /** Retries after the connection drops mid-body (default RESUME_DELAYS_MS); each resumes with Range where the server allows. */
  retryDelaysMs?: readonly number[] | undefined;
  /**
   * The origins this dataset may be read from: the URL's origin is agreed (asked) before the request, and a response
   * that a redirect brought from another origin is not read until that origin is agreed too. Absent: no check.
   */
  origins?: OriginPolicy | undefined;
  /** A request with less than STALL_MIN_BYTES of progress (headers count) for this long fails with E_STALLED (default: stallTimeoutMs()). */
  stallTimeoutMs?: number | undefined;
}

/** No response, or less than STALL_MIN_BYTES of body, for this long: the server has stalled. */
export const STALL_TIMEOUT_MS = 15_000;
/** Progress smaller than this does not count: a server dribbling a byte every few seconds has stalled too. */
export const STALL_MIN_BYTES = 1024;
let stallTimeoutDefaultMs = STALL_TIMEOUT_MS;
/** The stall timeout for requests that do not set one (tests shorten it through window.__earshotDatasets). */
export function setStallTimeoutMs(ms: number): void {
  stallTimeoutDefaultMs = Number.isFinite(ms) && ms > 0 ? ms : STALL_TIMEOUT_MS;
}
export function stallTimeoutMs(): number {
  return stallTimeoutDefaultMs;
}

/**
 * One request's stall watchdog: from the request until its body is read, every STALL_MIN_BYTES of progress (or the
 * headers) re-arms a timer; when it fires, the request is aborted through its own signal and reads as E_STALLED.
 */
class StallWatch {
  readonly signal: AbortSignal;
  stalled = false;
  private readonly ctl = new AbortController();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private sinceArm = 0;
  private readonly onOuterAbort = (): void => this.ctl.abort();
  private onStall: (() => void) | null = null;

  constructor(
    readonly timeoutMs: number,
    private readonly outer: AbortSignal | undefined,
  ) {
    this.signal = this.ctl.signal;
    if (outer?.aborted) this.ctl.abort();
    else outer?.addEventListener('abort', this.onOuterAbort, { once: true });
    this.arm();
  }

  /** Re-arms the timer (headers arrived, or enough bytes). */
  arm(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.sinceArm = 0;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.stalled = true;
      this.onStall?.();
      this.ctl.abort();
    }, this.timeoutMs);
  }

  progress(bytes: number): void {
    this.sinceArm += bytes;
    if (this.sinceArm >= STALL_MIN_BYTES) this.arm();
  }

  /** Also run `f` on a stall (cancel a reader whose stream the abort does not reach). */
  whenStalled(f: () => void): void {
    this.onStall = f;
  }

  stop(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.onStall = null;
    this.outer?.removeEventListener('abort', this.onOuterAbort);
  }
}

/** Each response's watchdog, until its body is read or dropped. */
const watches = new WeakMap<Response, StallWatch>();

function stallError(url: string, what: string, watch: StallWatch, receivedBytes: number | null): EarshotError {
  const sec = `${+(watch.timeoutMs / 1000).toFixed(1)} s`;
  return new EarshotError(
    'E_STALLED',
    receivedBytes === null
      ? `The server stalled: no response for ${what} (${url}) in ${sec}. It may be overloaded or down; try again later.`
      : `The server stalled: ${what} (${url}) stopped arriving after ${formatBytes(receivedBytes)} (less than ${formatBytes(STALL_MIN_BYTES)} in ${sec}). Try again later.`,
  );
}

/** Cancels a body we will not read, and its watchdog. */
function dropBody(res: Response): void {
  watches.get(res)?.stop();
  watches.delete(res);
  void res.body?.cancel().catch(() => undefined);
}

/** Backoff between resume attempts after a download broke off: four tries, about 3.5 s in all. */
export const RESUME_DELAYS_MS: readonly number[] = [250, 500, 1000, 2000];

export interface FetchedBytes {
  /** Exactly the requested range when one was asked for (sliced out of a 200 if needed), else the whole body. */
  bytes: Uint8Array;
  status: number;
  /** The server honoured the Range header (206). */
  ranged: boolean;
  /** The whole resource's bytes, when the server sent all of it (200) although a range was asked. */
  whole: Uint8Array | null;
}

const MiB = 1024 * 1024;
export function formatBytes(n: number): string {
  if (n >= MiB) return `${(n / MiB).toFixed(n >= 100 * MiB ? 0 : 1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} bytes`;
}

function originOf(url: string): string {
  try {
    return new URL(url, location.href).origin;
  } catch {
    return '';
  }
}

/** The message for a fetch that threw before any response: a cross-origin URL is (most likely) a CORS refusal. */
export function networkError(url: string, what: string): EarshotError {
  const target = originOf(url);
  if (target !== '' && target !== location.origin) {
    return new EarshotError(
      'E_CORS',
      `Blocked by CORS: ${target} did not allow this page (${location.origin}) to read ${what} (${url}). ` +
        `The host must send "Access-Control-Allow-Origin: *" (or "Access-Control-Allow-Origin: ${location.origin}") with every dataset file, ` +
        `and "Access-Control-Expose-Headers: Content-Length, Content-Range" so ranged audio reads work. ` +
        `(Browsers report an unreachable host the same way: if the host is down or the address is wrong, fix that first.)`,
    );
  }
  return new EarshotError('E_NETWORK', `Could not reach the server for ${what} (${url}): network error.`);
}

/** How often one request may be redirected to a newly agreed origin before we give up (a server that keeps moving). */
const MAX_REDIRECT_ASKS = 3;

/**
 * fetch() under the origin policy. The browser follows redirects before script sees them, so a response from an origin
 * not agreed to is dropped unread (body cancelled), the person is asked, and on a yes the request is made again.
 * Throws networkError (CORS, unreachable), E_ORIGIN_REFUSED or an abort.
 */
async function fetchAllowed(
  url: string,
  headers: Record<string, string>,
  options: FetchBytesOptions,
): Promise<Response> {
  const { origins, what, signal } = options;
  if (origins) await origins.ensure([url], `${what}, ${url}`, signal);
  for (let round = 0; ; round++) {
    let res: Response;
    const watch = new StallWatch(options.stallTimeoutMs ?? stallTimeoutDefaultMs, signal);
    try {
      res = await fetch(url, { mode: 'cors', credentials: 'omit', headers, signal: watch.signal });
    } catch {
      watch.stop();
      if (signal?.aborted) throw abortError();
      if (watch.stalled) throw stallError(url, what, watch, null);
      throw networkError(url, what);
    }
    watch.arm();
    watches.set(res, watch);
    // Response.url is where the redirects ended ("" for a synthetic response).
    const finalUrl = res.url || url;
    if (!origins || origins.allows(finalUrl)) return res;
    dropBody(res);
    const why = `${what}: ${url} redirected to ${finalUrl}`;
    if (round >= MAX_REDIRECT_ASKS)
      throw new EarshotError(
        'E_ORIGIN_REFUSED',
        `Refused ${finalUrl} (${why}): it keeps redirecting to new sites, so nothing was read from it.`,
      );
    await origins.ensure([finalUrl], why, signal);
  }
}

function httpError(res: Response, url: string, what: string): EarshotError {
  const hint =
    res.status === 404
      ? ' (not found: check the URL and that the file was uploaded)'
      : res.status === 403
        ? ' (forbidden)'
        : res.status === 416
          ? ' (the file is shorter than the dataset says)'
          : '';
  return new EarshotError(
    'E_HTTP',
    `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''} for ${what} (${url})${hint}`,
  );
}

export async function fetchBytes(url: string, options: FetchBytesOptions): Promise<FetchedBytes> {
  const { maxBytes, what, signal, range } = options;
  if (signal?.aborted) throw abortError();
  const headers: Record<string, string> = {};
  if (range) {
    if (range.endExclusive <= range.start) return { bytes: new Uint8Array(0), status: 206, ranged: true, whole: null };
    headers['Range'] = Number.isFinite(range.endExclusive)
      ? `bytes=${range.start}-${range.endExclusive - 1}`
      : `bytes=${range.start}-`;
  }
  const res = await fetchAllowed(url, headers, options);
  if (!res.ok) {
    dropBody(res);
    throw httpError(res, url, what);
  }
  const ranged = res.status === 206;
  // A server that ignores Range sends the whole file: the cap then applies to all of it.
  const declared = Number(res.headers.get('Content-Length') ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    dropBody(res);
    throw new EarshotError(
      'E_TOO_LARGE',
      `${what} is ${formatBytes(declared)}, over the ${formatBytes(maxBytes)} limit (${url})`,
    );
  }
  // Where this body sits in the resource: our range when the server honoured it, else the whole file.
  const span =
    range && ranged
      ? { start: range.start, endExclusive: Number.isFinite(range.endExclusive) ? range.endExclusive : null }
      : { start: 0, endExclusive: null };
  const body = await readResuming(res, url, options, span);
  if (range && !ranged) {
    const bytes = body.subarray(range.start, Math.min(body.length, range.endExclusive));
    return { bytes, status: res.status, ranged: false, whole: body };
  }
  return { bytes: body, status: res.status, ranged, whole: range ? null : body };
}

/** A body that broke off mid-way: how far it got (the bytes so far are kept). */
class BrokenBody extends Error {
  constructor(
    readonly chunks: Uint8Array[],
    readonly total: number,
  ) {
    super('body broke off');
  }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError());
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(t);
      reject(abortError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Reads `res` to the end; when the connection drops mid-body, waits (backoff) and asks for the rest with
 * `Range: bytes=<start+received>-[end]`. A server that answers 206 from exactly there is appended to; one that answers
 * 200 (Range ignored) is read again from the start when it is the whole file we were reading. `span` is where the first
 * response's body sits in the resource (our range when it answered 206, else the whole file).
 */
async function readResuming(
  first: Response,
  url: string,
  options: FetchBytesOptions,
  span: { start: number; endExclusive: number | null },
): Promise<Uint8Array> {
  const { maxBytes, what, signal } = options;
  const delays = options.retryDelaysMs ?? RESUME_DELAYS_MS;
  const startByte = span.start;
  const endExclusive = span.endExclusive;
  const chunks: Uint8Array[] = [];
  let total = 0;
  let res = first;
  for (let attempt = 0; ; attempt++) {
    try {
      total = await readCapped(res, maxBytes, what, url, options.onBytes, signal, chunks, total);
      break;
    } catch (err) {
      if (!(err instanceof BrokenBody)) throw err;
      total = err.total;
      if (attempt >= delays.length) {
        throw new EarshotError(
          'E_DATASET_TRUNCATED',
          `${what} broke off after ${formatBytes(total)} (${url}), ${delays.length} resume attempts failed`,
        );
      }
      await sleep(delays[attempt] ?? 1000, signal);
      const from = startByte + total;
      const headers: Record<string, string> = {
        Range: endExclusive !== null ? `bytes=${from}-${endExclusive - 1}` : `bytes=${from}-`,
      };
      let next: Response;
      try {
        next = await fetchAllowed(url, headers, options);
      } catch (err) {
        if (signal?.aborted) throw abortError();
        if (!(err instanceof EarshotError && (err.code === 'E_NETWORK' || err.code === 'E_CORS'))) throw err;
        // Host gone for now: count it as another broken attempt (the loop's backoff applies).
        res = new Response(new ReadableStream({ start: (c) => c.error(new TypeError('network error')) }));
        continue;
      }
      if (!next.ok) {
        dropBody(next);
        throw httpError(next, url, what);
      }
      const contentRange = next.headers.get('Content-Range') ?? '';
      const resumedAt = /^bytes (\d+)-/.exec(contentRange);
      if (next.status === 206 && resumedAt && Number(resumedAt[1]) === from) {
        res = next;
      } else {
        // Range ignored (or not where we asked): start over from this full response, if the whole file is what we read.
        if (startByte !== 0 || endExclusive !== null || next.status !== 200) {
          dropBody(next);
          throw new EarshotError(
            'E_DATASET_TRUNCATED',
            `${what} broke off after ${formatBytes(total)} (${url}) and the server cannot resume it`,
          );
        }
        chunks.length = 0;
        total = 0;
        res = next;
      }
    }
  }
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/**
 * Appends `res`'s body to `chunks`; returns the new total, or throws BrokenBody when the connection drops and
 * E_STALLED when its watchdog fired (a stall is not resumed: the same server would most likely stall again).
 */
async function readCapped(
  res: Response,
  maxBytes: number,
  what: string,
  url: string,
  onBytes: ((n: number) => void) | undefined,
  signal: AbortSignal | undefined,
  chunks: Uint8Array[],
  startTotal: number,
): Promise<number> {
  let total = startTotal;
  const watch = watches.get(res);
  watches.delete(res);
  try {
    if (!res.body) {
      let all: Uint8Array;
      try {
        all = new Uint8Array(await res.arrayBuffer());
      } catch (err) {
        if (signal?.aborted) throw abortError();
        if (watch?.stalled) throw stallError(url, what, watch, total);
        throw err;
      }
      if (total + all.length > maxBytes)
        throw new EarshotError('E_TOO_LARGE', `${what} is more than the ${formatBytes(maxBytes)} limit (${url})`);
      chunks.push(all);
      return total + all.length;
    }
    const reader = res.body.getReader();
    watch?.whenStalled(() => void reader.cancel().catch(() => undefined));
    try {
      for (;;) {
        const { done, value } = await reader.read();
        // A cancelled reader ends "done": a stall must not read as a complete (short) body.
        if (watch?.stalled) throw stallError(url, what, watch, total);
        if (done) break;
        total += value.length;
        if (total > maxBytes) {
          void reader.cancel();
          throw new EarshotError('E_TOO_LARGE', `${what} is more than the ${formatBytes(maxBytes)} limit (${url})`);
        }
        chunks.push(value);
        watch?.progress(value.length);
        onBytes?.(value.length);
      }
    } catch (err) {
      if (signal?.aborted) throw abortError();
      if (err instanceof EarshotError) throw err;
      if (watch?.stalled) throw stallError(url, what, watch, total);
      throw new BrokenBody(chunks, total);
    }
    return total;
  } finally {
    watch?.stop();
  }
}

/** Text of a small file (manifest, config), capped. */
export async function fetchText(url: string, options: FetchBytesOptions): Promise<string> {
  const { bytes } = await fetchBytes(url, options);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new EarshotError('E_NOT_A_DATASET', `${options.what} (${url}) is not UTF-8 text`);
  }
}

/** SHA-256 as 64 lowercase hex digits, with the browser's native digest (much faster than JS for megabytes). */
export async function sha256HexNative(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  let hex = '';
  for (const b of digest) hex += b.toString(16).padStart(2, '0');
  return hex;
}
