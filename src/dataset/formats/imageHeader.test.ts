// Unit tests for reading image sizes from headers (PNG, JPEG, WebP, GIF) and refusing absurd ones; must not decode images.
import { describe, expect, it } from 'vitest';
import { checkImageHeader, readImageHeader } from './imageHeader.ts';

function pngHeader(w: number, h: number): Uint8Array {
  const b = new Uint8Array(33);
  b.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
  new DataView(b.buffer).setUint32(16, w);
  new DataView(b.buffer).setUint32(20, h);
  return b;
}

describe('image headers', () => {
  it('reads PNG, GIF, JPEG and WebP sizes', () => {
    expect(readImageHeader(pngHeader(1024, 512))).toEqual({ format: 'png', widthPx: 1024, heightPx: 512 });
    expect(
      readImageHeader(new Uint8Array([...'GIF89a'].map((c) => c.charCodeAt(0)).concat([0x20, 0x01, 0x10, 0x00]))),
    ).toEqual({ format: 'gif', widthPx: 288, heightPx: 16 });
    // JPEG: SOI, an APP0 segment, then SOF0 with height 300, width 400.
    const jpeg = new Uint8Array([
      0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0, 0, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x01, 0x2c, 0x01, 0x90, 0x03, 0, 0, 0, 0,
    ]);
    expect(readImageHeader(jpeg)).toEqual({ format: 'jpeg', widthPx: 400, heightPx: 300 });
    const webp = new Uint8Array(30);
    webp.set(
      [...'RIFF'].map((c) => c.charCodeAt(0)),
      0,
    );
    webp.set(
      [...'WEBPVP8X'].map((c) => c.charCodeAt(0)),
      8,
    );
    webp.set([0xff, 0x03, 0x00, 0xff, 0x01, 0x00], 24); // 1024 × 512
    expect(readImageHeader(webp)).toEqual({ format: 'webp', widthPx: 1024, heightPx: 512 });
    expect(readImageHeader(new Uint8Array([1, 2, 3]))).toBeNull();
  });
  it('refuses absurd sizes and non-images before decoding', () => {
    expect(() => checkImageHeader(pngHeader(100_000, 100_000), 'sprite')).toThrow(/100000×100000 px, over the limit/);
    expect(() => checkImageHeader(pngHeader(16_384, 16_384), 'sprite')).toThrow(/Mpx/);
    expect(() => checkImageHeader(pngHeader(0, 10), 'sprite')).toThrow(/empty image/);
    expect(() => checkImageHeader(new TextEncoder().encode('<svg onload=alert(1)>'), 'sprite')).toThrow(/not a PNG/);
    expect(checkImageHeader(pngHeader(4096, 4096), 'sprite').widthPx).toBe(4096);
  });
});
