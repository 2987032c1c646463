// Test recordings for the long-recording specs: low noise with tone bursts at known times, as 16/24-bit RIFF or RF64 WAV; Node-only, written to a temp dir, never committed.
import { encodeWav } from '../../src/dsp/wav.ts';

export interface Burst {
  atSec: number;
  durationSec: number;
  hz: number;
}

export function tonesWav(opts: {
  rateHz: number;
  durationSec: number;
  bits: 16 | 24;
  bursts: Burst[];
  rf64?: boolean;
}): Uint8Array {
  const n = Math.round(opts.rateHz * opts.durationSec);
  const x = new Float32Array(n);
  let s = 12345;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    x[i] = 0.003 * (s / 0x7fffffff - 0.5);
  }
  for (const b of opts.bursts) {
    const a = Math.round(b.atSec * opts.rateHz);
    const e = Math.min(n, Math.round((b.atSec + b.durationSec) * opts.rateHz));
    for (let i = a; i < e; i++) x[i] = (x[i] ?? 0) + 0.5 * Math.sin((2 * Math.PI * b.hz * (i - a)) / opts.rateHz);
  }
  const wav = encodeWav([x], opts.rateHz, opts.bits);
  return opts.rf64 ? toRf64(wav) : wav;
}

/** RIFF (canonical 44-byte header) → RF64: a ds64 chunk after WAVE, 0xFFFFFFFF in the RIFF and data sizes. */
function toRf64(wav: Uint8Array): Uint8Array {
  const v = new DataView(wav.buffer, wav.byteOffset, wav.byteLength);
  let at = 12;
  while (at + 8 <= wav.length && String.fromCharCode(...wav.subarray(at, at + 4)) !== 'data')
    at += 8 + v.getUint32(at + 4, true);
  const dataBytes = v.getUint32(at + 4, true);
  const out = new Uint8Array(wav.length + 36);
  const o = new DataView(out.buffer);
  out.set(wav.subarray(0, 12), 0);
  out.set([0x52, 0x46, 0x36, 0x34], 0); // RF64
  o.setUint32(4, 0xffffffff, true);
  out.set([0x64, 0x73, 0x36, 0x34], 12); // ds64
  o.setUint32(16, 28, true);
  o.setUint32(20, out.length - 8, true);
  o.setUint32(28, dataBytes, true);
  o.setUint32(36, Math.floor(dataBytes / 2), true);
  o.setUint32(44, 0, true);
  out.set(wav.subarray(12), 48);
  o.setUint32(48 + (at - 12) + 4, 0xffffffff, true);
  return out;
}
