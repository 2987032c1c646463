// The one URL sanitiser for dataset, share-link and asset URLs: accepts http(s) and relative references only; pure, must not touch the DOM or fetch anything.
import { EarshotError } from '../lib/errors.ts';

/** Longest URL we accept anywhere (characters). Browsers take more, but no dataset path needs it. */
export const MAX_URL_CHARS = 4096;

/** Base used to resolve relative references when the caller's base is itself relative. Never fetched. */
const PLACEHOLDER_ORIGIN = 'http://earshot.invalid';

const SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]*):/;
// Browsers strip tabs and newlines inside URLs ("java\tscript:" runs as "javascript:") and trim
// C0 controls and spaces at the ends, so any of these makes a URL mean something other than it shows.
// eslint-disable-next-line no-control-regex
const CONTROL_OR_SPACE = /[\u0000-\u0020\u007f-\u009f\u2028\u2029\ufeff]/;

/**
 * Why `url` is not a safe http(s) or relative reference, or null when it is.
 * Rejects javascript:, data:, file:, blob: and every other scheme, control characters and whitespace
 * (which browsers strip before reading the scheme), and over-long strings.
 */
export function unsafeUrlReason(url: string): string | null {
  if (typeof url !== 'string') return 'not a string';
  if (url.length === 0) return 'empty URL';
  if (url.length > MAX_URL_CHARS) return `URL longer than ${MAX_URL_CHARS} characters`;
  if (CONTROL_OR_SPACE.test(url)) return 'URL contains whitespace or control characters';
  const scheme = SCHEME.exec(url);
  if (scheme) {
    const name = scheme[1]!.toLowerCase();
    if (name !== 'http' && name !== 'https')
      return `URL scheme "${name}:" is not allowed (only http, https or a relative path)`;
  }
  // Belt and braces: the WHATWG parser must agree that the result is http(s).
  let parsed: URL;
  try {
    parsed = new URL(url, `${PLACEHOLDER_ORIGIN}/`);
  } catch {
    return 'URL does not parse';
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return `URL resolves to scheme "${parsed.protocol}"`;
  return null;
}

export function isSafeUrl(url: string): boolean {
  return unsafeUrlReason(url) === null;
}

/** Throws E_UNSAFE_URL (with `what` in the message) unless `url` is http(s) or relative. */
export function assertSafeUrl(url: string, what: string): string {
  const reason = unsafeUrlReason(url);
  if (reason !== null) throw new EarshotError('E_UNSAFE_URL', `${what}: ${reason}`);
  return url;
}

/** True for "http://…" and "https://…" (absolute http(s) URLs), false for relative references. */
export function isAbsoluteHttpUrl(url: string): boolean {
  return /^https?:\/\//i.test(url);
}

/**
 * Resolves `ref` against `base` (both checked with `assertSafeUrl`). An absolute http(s) base gives an absolute URL.
 * A relative base ("data/x.json", "/data/x.json") gives a reference relative to the same thing the base was relative
 * to (the page): "data/x.json" + "./a.bin" → "data/a.bin", "/d/x.json" + "a.bin" → "/d/a.bin". Going above the page's
 * directory ("../") from a relative base is clamped at the origin root and returned root-relative ("/a.bin").
 */
export function resolveUrl(ref: string, base: string, what = 'URL'): string {
  assertSafeUrl(ref, what);
  assertSafeUrl(base, `${what} base`);
  if (isAbsoluteHttpUrl(ref)) return new URL(ref).href;
  if (isAbsoluteHttpUrl(base)) return new URL(ref, base).href;
  // Relative base: resolve under a placeholder origin, then drop it again.
  const rootRelative = base.startsWith('/');
  const placeholderBase = `${PLACEHOLDER_ORIGIN}/__page__/${rootRelative ? base.replace(/^\/+/, '') : base}`;
  const resolved = new URL(ref, rootRelative ? `${PLACEHOLDER_ORIGIN}/${base.replace(/^\/+/, '')}` : placeholderBase);
  if (resolved.origin !== PLACEHOLDER_ORIGIN) return resolved.href; // protocol-relative ref ("//host/x")
  const tail = `${resolved.pathname}${resolved.search}${resolved.hash}`;
  if (rootRelative) return tail;
  if (tail.startsWith('/__page__/')) return tail.slice('/__page__/'.length);
  return tail; // climbed above the page directory: root-relative
}
