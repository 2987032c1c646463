import { describe, expect, it } from 'vitest';
import { DEFAULT_FLAGS, installRuntimeFlags, parseRuntimeFlags, runtimeFlags } from './runtimeFlags.ts';

describe('runtime flags', () => {
  it('a page without switches runs with the defaults', () => {
    expect(parseRuntimeFlags('')).toEqual({
      dataset: null,
      backend: 'auto',
      threads: 0,
      save: true,
      restore: true,
      cache: true,
      faults: { webgpuCreate: false, webgpuLostAtCall: null },
      stream: null,
    });
  });

  it('reads each switch, and nothing it does not know', () => {
    const f = parseRuntimeFlags(
      '?backend=wasm&threads=2&save=0&restore=0&cache=0&dataset=https%3A%2F%2Fx.test%2Fd.json&fault=webgpu-lost@3&stream=always',
      true,
    );
    expect(f).toMatchObject({
      dataset: 'https://x.test/d.json',
      backend: 'wasm',
      threads: 2,
      save: false,
      restore: false,
      cache: false,
      faults: { webgpuCreate: false, webgpuLostAtCall: 3 },
      stream: 'always',
    });
    expect(parseRuntimeFlags('?backend=cuda&threads=-4&stream=sometimes&fault=webgpu-create', true)).toMatchObject({
      backend: 'auto',
      threads: 0,
      stream: null,
      faults: { webgpuCreate: true },
    });
  });

  it('test switches are ignored unless asked for (production pages)', () => {
    const f = parseRuntimeFlags('?fault=webgpu-create&stream=never', false);
    expect(f.faults).toEqual({ webgpuCreate: false, webgpuLostAtCall: null });
    expect(f.stream).toBeNull();
  });

  it('is frozen, and installed once', () => {
    const f = parseRuntimeFlags('?save=0');
    expect(Object.isFrozen(f) && Object.isFrozen(f.faults)).toBe(true);
    expect(() => ((f as { save: boolean }).save = true)).toThrow(TypeError);
    expect(runtimeFlags()).toBe(DEFAULT_FLAGS);
    installRuntimeFlags(f);
    expect(runtimeFlags()).toBe(f);
    expect(() => installRuntimeFlags(f)).toThrow(/once/);
  });
});
