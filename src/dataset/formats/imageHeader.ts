// Image dimensions read from the first bytes of a PNG, JPEG, WebP or GIF, so a sprite claiming absurd dimensions is refused before the browser decodes it; pure, must not decode pixels or allocate by the claimed size.
import { EarshotError } from '../../lib/errors.ts';

export interface ImageHeader {
  format: 'png' | 'jpeg' | 'webp' | 'gif';
  widthPx: number;
  heightPx: number;
}

/** Largest sprite page side we decode (the native format's page cap). */
export const MAX_IMAGE_SIDE_PX = 16_384;
/** Largest sprite page area we decode: 64 Mpx is 256 MiB of RGBA. */
export const MAX_IMAGE_PIXELS = 64 * 1024 * 1024;

const u16be = (b: Uint8Array, at: number): number => ((b[at] ?? 0) << 8) | (b[at + 1] ?? 0);
const u16le = (b: Uint8Array, at: number): number => (b[at] ?? 0) | ((b[at + 1] ?? 0) << 8);
const u24le = (b: Uint8Array, at: number): number => u16le(b, at) | ((b[at + 2] ?? 0) << 16);
const u32be = (b: Uint8Array, at: number): number =>
  (b[at] ?? 0) * 0x1000000 + (((b[at + 1] ?? 0) << 16) | ((b[at + 2] ?? 0) << 8) | (b[at + 3] ?? 0));
const ascii = (b: Uint8Array, at: number, n: number): string => String.fromCharCode(...b.subarray(at, at + n));

/** The image's format and size from its header, or null when it is none of PNG, JPEG, WebP, GIF (or the header is cut short). */
export function readImageHeader(b: Uint8Array): ImageHeader | null {
  // PNG: signature, then IHDR (width, height as u32 big-endian) must be the first chunk.
  if (b.length >= 24 && b[0] === 0x89 && ascii(b, 1, 3) === 'PNG' && ascii(b, 12, 4) === 'IHDR') {
    return { format: 'png', widthPx: u32be(b, 16), heightPx: u32be(b, 20) };
  }
  if (b.length >= 10 && (ascii(b, 0, 6) === 'GIF87a' || ascii(b, 0, 6) === 'GIF89a')) {
    return { format: 'gif', widthPx: u16le(b, 6), heightPx: u16le(b, 8) };
  }
  if (b.length >= 30 && ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WEBP') {
    const chunk = ascii(b, 12, 4);
    if (chunk === 'VP8X') return { format: 'webp', widthPx: u24le(b, 24) + 1, heightPx: u24le(b, 27) + 1 };
    if (chunk === 'VP8 ') return { format: 'webp', widthPx: u16le(b, 26) & 0x3fff, heightPx: u16le(b, 28) & 0x3fff };
    if (chunk === 'VP8L' && b.length >= 25) {
      const bits = (b[21] ?? 0) | ((b[22] ?? 0) << 8) | ((b[23] ?? 0) << 16) | ((b[24] ?? 0) << 24);
      return { format: 'webp', widthPx: (bits & 0x3fff) + 1, heightPx: ((bits >>> 14) & 0x3fff) + 1 };
    }
    return null;
  }
  // JPEG: walk the markers to the first start-of-frame (SOF0..SOF15 except DHT/JPG/DAC).
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xd8) {
    let at = 2;
    while (at + 9 < b.length) {
      if (b[at] !== 0xff) return null;
      const marker = b[at + 1] ?? 0;
      if (marker === 0xff) {
        at++;
        continue;
      }
      if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
        at += 2;
        continue;
      }
      const length = u16be(b, at + 2);
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        return { format: 'jpeg', widthPx: u16be(b, at + 7), heightPx: u16be(b, at + 5) };
      }
      if (length < 2) return null;
      at += 2 + length;
    }
    return null;
  }
  return null;
}

/** The header, checked against the caps (and an expected page size when the dataset states one); E_DATASET_INVALID otherwise. */
export function checkImageHeader(
  bytes: Uint8Array,
  what: string,
  maxSidePx = MAX_IMAGE_SIDE_PX,
  maxPixels = MAX_IMAGE_PIXELS,
): ImageHeader {
  const h = readImageHeader(bytes);
  if (!h)
    throw new EarshotError(
      'E_DATASET_INVALID',
      `${what} is not a PNG, JPEG, WebP or GIF image (its header does not say its size), so it was not decoded`,
    );
  if (h.widthPx === 0 || h.heightPx === 0)
    throw new EarshotError('E_DATASET_INVALID', `${what} claims to be ${h.widthPx}×${h.heightPx} px, an empty image`);
  if (h.widthPx > maxSidePx || h.heightPx > maxSidePx || h.widthPx * h.heightPx > maxPixels) {
    throw new EarshotError(
      'E_TOO_LARGE',
      `${what} claims to be ${h.widthPx}×${h.heightPx} px, over the limit of ${maxSidePx} px a side and ${Math.round(maxPixels / 1024 / 1024)} Mpx, so it was not decoded`,
    );
  }
  return h;
}
