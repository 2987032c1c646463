// Many files in one worklet render (features.ts featuresForBatch) give each file exactly what it gets rendered alone: real
// AudioWorklet in Chromium, mixed rates (8 k, 16 k, 44.1 k, 48 k), stereo, a clip shorter than one window, a file of no samples,
// both frontends (log-mel patches and raw waveform windows), and a batch that fails part-way (the rest falls back to one by one).
import { expect, test } from '@playwright/test';

interface Spec {
  name: string;
  rateHz: number;
  channels: number;
  sec: number;
  seed: number;
}

const SPECS: Spec[] = [
  { name: '16k mono 2.3 s', rateHz: 16000, channels: 1, sec: 2.3, seed: 1 },
  { name: '44.1k mono 1.7 s', rateHz: 44100, channels: 1, sec: 1.7, seed: 2 },
  { name: '48k stereo 1.2 s', rateHz: 48000, channels: 2, sec: 1.2, seed: 3 },
  { name: '8k mono 3 s', rateHz: 8000, channels: 1, sec: 3, seed: 4 },
  { name: '16k mono 0.1 s (shorter than one window)', rateHz: 16000, channels: 1, sec: 0.1, seed: 5 },
  { name: '16k mono empty (no samples)', rateHz: 16000, channels: 1, sec: 0, seed: 6 },
  { name: '16k mono 0.97 s', rateHz: 16000, channels: 1, sec: 0.97, seed: 7 },
  { name: '44.1k mono 0.5 s', rateHz: 44100, channels: 1, sec: 0.5, seed: 8 },
  { name: '48k stereo 0.3 s', rateHz: 48000, channels: 2, sec: 0.3, seed: 9 },
  { name: '44.1k mono 2.05 s', rateHz: 44100, channels: 1, sec: 2.05, seed: 10 },
  { name: '48k stereo 2.5 s', rateHz: 48000, channels: 2, sec: 2.5, seed: 11 },
  { name: '8k mono 0.02 s', rateHz: 8000, channels: 1, sec: 0.02, seed: 12 },
];

interface FileOutcome {
  patchCount: number;
  samples16k: number;
  error: string | null;
  values: number[];
  /** Window descriptors (level, centroid, roll-off, bandwidth) as strings. */
  descriptors: string[];
}

interface Outcome {
  name: string;
  /** Per file: patch count, samples at the model rate, error message, and the values. */
  single: FileOutcome[];
  batched: FileOutcome[];
  fallback: FileOutcome[];
  batchCount: number;
}

for (const frontendKind of ['log_mel_patch', 'waveform'] as const) {
  test(`batched worklet render equals one file at a time (${frontendKind})`, async ({ page }) => {
    await page.goto('/e2e/blank.html');
    const out = await page.evaluate(
      async ({ specs, frontendKind }) => {
        const features = (await import(
          /* @vite-ignore */ String('/src/audio/features.ts')
        )) as typeof import('../src/audio/features.ts');
        const frontend =
          frontendKind === 'waveform'
            ? ({ kind: 'waveform', sampleRateHz: 10000, windowSamples: 3000, hopSamples: 1500 } as const)
            : ({ kind: 'log_mel_patch' } as const);
        const valuesPer = frontendKind === 'waveform' ? 3000 : 96 * 64;
        // AudioBuffer cannot be empty; the worklet's batch protocol can, so the empty file is an AudioBuffer-shaped stand-in.
        const makeBuffer = (s: (typeof specs)[number]): AudioBuffer => {
          const length = Math.round(s.sec * s.rateHz);
          if (length === 0) {
            return {
              length: 0,
              duration: 0,
              sampleRate: s.rateHz,
              numberOfChannels: s.channels,
              getChannelData: () => new Float32Array(0),
            } as unknown as AudioBuffer;
          }
          const b = new AudioBuffer({ length, sampleRate: s.rateHz, numberOfChannels: s.channels });
          let x = s.seed * 2654435761;
          for (let c = 0; c < s.channels; c++) {
            const d = new Float32Array(length);
            const f = 180 + 97 * s.seed + 55 * c;
            for (let i = 0; i < length; i++) {
              x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
              const t = i / s.rateHz;
              d[i] =
                0.4 * Math.sin(2 * Math.PI * f * t * (1 + 0.3 * t)) +
                0.05 * (x / 2 ** 32 - 0.5) +
                (i % 997 === 0 ? 0.5 : 0);
            }
            b.copyToChannel(d, c);
          }
          return b;
        };
        const buffers = specs.map(makeBuffer);
        const pack = (r: import('../src/audio/features.ts').FilePatches | Error | undefined) =>
          r === undefined
            ? { patchCount: -1, samples16k: -1, error: 'missing', values: [], descriptors: [] }
            : r instanceof Error
              ? { patchCount: 0, samples16k: 0, error: r.message, values: [], descriptors: [] }
              : // Descriptors as strings so NaN (no value) compares equal across the page boundary.
                {
                  patchCount: r.patchCount,
                  samples16k: r.samples16k,
                  error: null,
                  values: Array.from(r.data),
                  descriptors: Array.from(r.descriptors, String),
                };
        const signal = new AbortController().signal;
        // One at a time: the path every file took before batching.
        const single = [];
        for (const b of buffers) {
          single.push(pack((await features.featuresForBatch([b], valuesPer, signal, frontend))[0]));
        }
        // Batched as the pipeline groups them: by sample rate and channel count.
        const groups = new Map<string, number[]>();
        buffers.forEach((b, i) => {
          const key = `${b.sampleRate}/${b.numberOfChannels}`;
          groups.set(key, [...(groups.get(key) ?? []), i]);
        });
        const batched: ReturnType<typeof pack>[] = new Array(buffers.length);
        const fallback: ReturnType<typeof pack>[] = new Array(buffers.length);
        for (const idx of groups.values()) {
          const group = idx.map((i) => buffers[i]!);
          const r = await features.featuresForBatch(group, valuesPer, signal, frontend);
          idx.forEach((i, k) => (batched[i] = pack(r[k])));
          // The batch fails as a whole after its first file: the others are rendered one by one and must not change.
          const f = await features.featuresForBatch(group, valuesPer, signal, frontend, { failBatchAfterFiles: 1 });
          idx.forEach((i, k) => (fallback[i] = pack(f[k])));
        }
        return { single, batched, fallback, batchCount: groups.size };
      },
      { specs: SPECS, frontendKind },
    );
    const o = out as Omit<Outcome, 'name'>;
    expect(o.batchCount).toBeLessThan(SPECS.length);
    let maxDiff = 0;
    SPECS.forEach((s, i) => {
      const a = o.single[i]!;
      for (const [label, b] of [
        ['batched', o.batched[i]!],
        ['fallback', o.fallback[i]!],
      ] as const) {
        expect(b.error, `${s.name} (${label})`).toBeNull();
        expect(a.error, s.name).toBeNull();
        expect(b.patchCount, `${s.name} patches (${label})`).toBe(a.patchCount);
        expect(b.samples16k, `${s.name} samples at the model rate (${label})`).toBe(a.samples16k);
        expect(b.values.length, `${s.name} values (${label})`).toBe(a.values.length);
        // Descriptors come from the same stream, reset at each file boundary: the very same values.
        expect(b.descriptors, `${s.name} descriptors (${label})`).toEqual(a.descriptors);
        expect(a.descriptors.length, `${s.name} descriptor rows`).toBe(a.patchCount * 4);
        for (let k = 0; k < a.values.length; k++) {
          const d = Math.abs((a.values[k] ?? 0) - (b.values[k] ?? 0));
          if (!(d <= maxDiff)) maxDiff = d;
        }
      }
      if (s.sec > 0) expect(a.patchCount, `${s.name} has windows`).toBeGreaterThan(0);
    });
    // The reference tolerance is 1e-5; the same code on the same chunks should give the very same floats.
    expect(maxDiff).toBeLessThanOrEqual(1e-5);
    console.log(
      `features-batch ${frontendKind}: files=${SPECS.length} batches=${o.batchCount} max_abs_diff=${maxDiff}`,
    );
    // The file of no samples, inside a batch: no sound leaks in from its neighbours.
    const empty = SPECS.findIndex((s) => s.sec === 0);
    const e = o.batched[empty]!;
    expect(e.samples16k).toBe(0);
    expect(e.values.every((v) => v === e.values[0])).toBe(true);
  });
}

// Chromium renders every OfflineAudioContext's worklet on one shared thread, and a worklet module load blocks the main
// thread until a render running there ends (a 300-800 ms task per batch in bench:load before features.ts gated renders).
// Two batches asked for at once must therefore run one after the other, and the main thread must stay free meanwhile:
// the longest task is held against the first render's own duration, so a slow machine scales both sides.
test('a batch asked for while another renders waits its turn and does not block the main thread', async ({ page }) => {
  await page.goto('/e2e/blank.html');
  const out = await page.evaluate(async () => {
    const longTasks: number[] = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) longTasks.push(e.duration);
    }).observe({ type: 'longtask' });
    const features = (await import(
      /* @vite-ignore */ String('/src/audio/features.ts')
    )) as typeof import('../src/audio/features.ts');
    const rateHz = 48000;
    const long = new AudioBuffer({ length: rateHz * 240, numberOfChannels: 1, sampleRate: rateHz });
    const data = long.getChannelData(0);
    for (let i = 0; i < data.length; i++) data[i] = Math.sin(i * 0.01) * 0.1;
    const short = new AudioBuffer({ length: rateHz, numberOfChannels: 1, sampleRate: rateHz });
    short.getChannelData(0).fill(0.05);
    const signal = new AbortController().signal;
    const t0 = performance.now();
    let firstEnd = 0;
    let secondStart = 0;
    let rendering: () => void = () => undefined;
    const firstPatches = new Promise<void>((r) => (rendering = r));
    const first = features.renderPatchesBatch(
      [long],
      () => rendering(),
      signal,
      { kind: 'log_mel_patch' },
      () => (firstEnd = performance.now()),
    );
    // Once the first batch is rendering: only tasks from here on count.
    await firstPatches;
    longTasks.length = 0;
    const second = features.renderPatchesBatch([short], () => (secondStart ||= performance.now()), signal);
    const [a, b] = await Promise.all([first, second]);
    await new Promise((r) => setTimeout(r, 100));
    return {
      firstMs: firstEnd - t0,
      secondAfterFirst: secondStart >= firstEnd,
      longestTaskMs: Math.max(0, ...longTasks),
      ok: !(a[0] instanceof Error) && !(b[0] instanceof Error),
    };
  });
  expect(out.ok).toBe(true);
  expect(out.secondAfterFirst).toBe(true);
  // Before the gate the second batch's module load held the main thread for the rest of the first render.
  expect(out.firstMs).toBeGreaterThan(400);
  expect(out.longestTaskMs).toBeLessThan(out.firstMs / 2);
});
