// Unit tests for the URL sanitiser and resolver: only http(s) and relative references pass; Node only, no DOM.
import { describe, expect, it } from 'vitest';
import { EarshotError } from '../lib/errors.ts';
import { resolveUrl, unsafeUrlReason } from './safeUrl.ts';

describe('unsafeUrlReason', () => {
  it('accepts http(s) and relative references', () => {
    for (const u of [
      'https://a.example/x.json',
      'HTTP://a.example/',
      'data/x.json',
      '/x.json',
      './x',
      '../x',
      '//cdn.example/x',
      'x?y=1#z',
      'a:b/c'.replace(':', '%3A'),
    ]) {
      expect(unsafeUrlReason(u), u).toBeNull();
    }
  });
  it('rejects other schemes, including disguised ones', () => {
    for (const u of [
      'javascript:alert(1)',
      'JavaScript:alert(1)',
      'data:text/html,x',
      'file:///etc/passwd',
      'blob:https://a/1',
      'ftp://x/y',
      'vbscript:x',
      'java\tscript:alert(1)',
      'java\nscript:alert(1)',
      ' javascript:alert(1)',
      '\u0000javascript:x',
      'javascript\u2028:x',
      'mailto:a@b',
      'a:b',
    ]) {
      expect(unsafeUrlReason(u), JSON.stringify(u)).not.toBeNull();
    }
    expect(unsafeUrlReason('')).toBe('empty URL');
    expect(unsafeUrlReason(`https://a/${'x'.repeat(5000)}`)).toMatch(/longer than 4096/);
  });
});

describe('resolveUrl', () => {
  it('resolves against absolute and relative bases', () => {
    expect(resolveUrl('cols/a.bin', 'https://h.example/d/m.json')).toBe('https://h.example/d/cols/a.bin');
    expect(resolveUrl('../a.bin', 'https://h.example/d/m.json')).toBe('https://h.example/a.bin');
    expect(resolveUrl('https://cdn.example/a', 'https://h.example/d/m.json')).toBe('https://cdn.example/a');
    expect(resolveUrl('./a.bin', 'data/m.json')).toBe('data/a.bin');
    expect(resolveUrl('a.bin', '/d/m.json')).toBe('/d/a.bin');
    expect(resolveUrl('../../a.bin', 'data/m.json')).toBe('/a.bin');
    expect(resolveUrl('//cdn.example/a', 'data/m.json')).toBe('http://cdn.example/a');
  });
  it('throws E_UNSAFE_URL for unsafe input', () => {
    expect(() => resolveUrl('javascript:x', 'https://h/')).toThrow(EarshotError);
    expect(() => resolveUrl('a', 'file:///x')).toThrow(/base/);
  });
});
