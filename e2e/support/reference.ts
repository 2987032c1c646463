// Reads the YAMNet reference cases from ../shared and runs waves through the app's real log-mel worklet
// in a Playwright page. Shared by e2e/reference.spec.ts and scripts/verify-reference.ts. Node side.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { efficientAtDir, yamnetDir } from '../../src/lib/sharedPaths.ts';
import { readF32 } from '../../src/lib/f32File.ts';

export interface ReferenceCase {
  name: string;
  wave: Float32Array;
  logmel: Float32Array;
  frames: number;
}

export function referenceDir(): string {
  return join(yamnetDir(), 'reference');
}

export function hasReference(): boolean {
  return existsSync(join(referenceDir(), 'manifest.json'));
}

export function loadReferenceCases(): ReferenceCase[] {
  const manifest = JSON.parse(readFileSync(join(referenceDir(), 'manifest.json'), 'utf8')) as {
    cases: Record<string, { logmelShape: [number, number] }>;
  };
  return Object.entries(manifest.cases).map(([name, c]) => ({
    name,
    wave: readF32(join(referenceDir(), `${name}.wave.f32`)),
    logmel: readF32(join(referenceDir(), `${name}.logmel.f32`)),
    frames: c.logmelShape[0],
  }));
}

/**
 * Render a 16 kHz wave through the app's AudioWorklet (OfflineAudioContext, real worklet module) and
 * return its log-mel frames [frames, 64], rebuilt from the overlapping 96-frame patches.
 * The page must be on the app's dev server (e.g. /e2e/blank.html).
 */
export async function workletLogMel(page: Page, wave: Float32Array, sampleRateHz = 16000): Promise<Float32Array> {
  const frames = await page.evaluate(
    async ({ wave, sampleRateHz }) => {
      const { renderPatches } = (await import(
        /* @vite-ignore */ String('/src/audio/features.ts')
      )) as typeof import('../../src/audio/features.ts');
      const buffer = new AudioBuffer({ length: wave.length, sampleRate: sampleRateHz, numberOfChannels: 1 });
      buffer.copyToChannel(Float32Array.from(wave), 0);
      const patches: Float32Array[] = [];
      const res = await renderPatches(buffer, (_first, count, data) => {
        for (let i = 0; i < count; i++) patches.push(data.slice(i * 6144, (i + 1) * 6144));
      });
      // Patch i holds frames [48i, 48i + 96): take all of patch 0, then the new half of each next one.
      const frameCount = res.patchCount === 0 ? 0 : 96 + 48 * (res.patchCount - 1);
      const out = new Float32Array(frameCount * 64);
      patches.forEach((p, i) => (i === 0 ? out.set(p, 0) : out.set(p.subarray(48 * 64), (96 + 48 * (i - 1)) * 64)));
      return Array.from(out);
    },
    { wave: Array.from(wave), sampleRateHz },
  );
  return Float32Array.from(frames);
}

export function diffStats(a: Float32Array, b: Float32Array): { maxAbs: number; meanAbs: number } {
  if (a.length !== b.length) return { maxAbs: Infinity, meanAbs: Infinity };
  let max = 0;
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs((a[i] ?? 0) - (b[i] ?? 0));
    if (d > max) max = d;
    sum += d;
  }
  return { maxAbs: max, meanAbs: a.length ? sum / a.length : 0 };
}

/** EfficientAT mn04's reference cases (../shared/models/efficientat-mn04/reference): waves at 32 kHz, log-mel [128, frames]. */
export function efficientAtReferenceDir(): string {
  return join(efficientAtDir(), 'reference');
}

export function hasEfficientAtReference(): boolean {
  return existsSync(join(efficientAtReferenceDir(), 'manifest.json'));
}

export function loadEfficientAtCases(): ReferenceCase[] {
  const dir = efficientAtReferenceDir();
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as {
    cases: Record<string, { logmelShape: [number, number] }>;
  };
  return Object.entries(manifest.cases).map(([name, c]) => ({
    name,
    wave: readF32(join(dir, `${name}.wave.f32`)),
    logmel: readF32(join(dir, `${name}.logmel.f32`)),
    frames: c.logmelShape[1],
  }));
}

/**
 * Render a wave through the app's AudioWorklet with the EfficientAT frontend (resampled to 32 kHz inside it) and
 * return every log-mel frame as the reference lays them out: [128, frames], mel-major (from the clip frames message).
 */
export async function workletEfficientAtLogMel(
  page: Page,
  wave: Float32Array,
  sampleRateHz = 32000,
): Promise<Float32Array> {
  const frames = await page.evaluate(
    async ({ wave, sampleRateHz }) => {
      const { renderPatchesBatch } = (await import(
        /* @vite-ignore */ String('/src/audio/features.ts')
      )) as typeof import('../../src/audio/features.ts');
      const buffer = new AudioBuffer({ length: wave.length, sampleRate: sampleRateHz, numberOfChannels: 1 });
      buffer.copyToChannel(Float32Array.from(wave), 0);
      let clip: { frameCount: number; data: Float32Array } | null = null;
      await renderPatchesBatch(
        [buffer],
        () => undefined,
        undefined,
        { kind: 'log_mel_frames', clipMaxFrames: 1_000_000 },
        undefined,
        (_f, frameCount, data) => {
          clip = { frameCount, data };
        },
      );
      const c = clip as { frameCount: number; data: Float32Array } | null;
      if (!c) return [];
      const out = new Float32Array(c.frameCount * 128);
      for (let f = 0; f < c.frameCount; f++)
        for (let b = 0; b < 128; b++) out[b * c.frameCount + f] = c.data[f * 128 + b]!;
      return Array.from(out);
    },
    { wave: Array.from(wave), sampleRateHz },
  );
  return Float32Array.from(frames);
}
