// bench:load — many small generated WAVs (0.5 s, 16 kHz by default; 1 in 200 broken) dropped as a folder onto the real app in headless Chromium; drop to finished map. First a per-step profile of a sample of the files run in the page (read+decode, context, addModule, one file per render vs one batched render), then the whole drop with the browser's peak memory (sum of Chromium RSS) and the longest main-thread task while it runs (the drop's own task, where the browser builds the FileList, reported apart). --cpuprofile / --cpuprofile-first S print where the main thread goes. --trace also breaks the longest tasks into Chromium trace events and adds their main-thread CPU. Last line: "load: files=… wall_s=… ms_per_file=… peak_rss_mb=… longest_task_ms=… drop_task_ms=… [longest_task_cpu_ms=…] chromium_cpu_s=… load=…". Node-only; files go to a temp dir and are deleted.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openApp } from './lib/browser.ts';
import { writeLoadCorpus } from '../e2e/support/loadCorpus.ts';
import { chromiumCpuSec, chromiumRssMb } from './lib/procTree.ts';
import { TRACE_CATEGORIES, reportTrace } from './lib/trace.ts';
import { loadavg } from 'node:os';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}
const FILES = Number(arg('files', '2000'));
const CLIP_SEC = Number(arg('sec', '0.5'));
/** Files profiled step by step before the drop (0: skip the profile). */
const PROFILE = Number(arg('profile', '100'));
if (!Number.isInteger(FILES) || FILES < 1) throw new Error('--files must be a positive integer');

const dir = mkdtempSync(join(tmpdir(), 'earshot-bench-load-'));
try {
  const g0 = performance.now();
  const corpus = writeLoadCorpus(dir, FILES, CLIP_SEC, PROFILE);
  const broken = corpus.broken.length;
  const sample = corpus.clips;
  console.error(
    `generated ${FILES} files (${broken} broken, ${CLIP_SEC} s each) in ${((performance.now() - g0) / 1000).toFixed(1)} s`,
  );
  const session = await openApp({
    path: '/',
    initScript: () => {
      const w = window as unknown as { __longTasks: number[]; __longTaskStarts: number[]; __changeAt: number };
      w.__longTasks = [];
      w.__longTaskStarts = [];
      // When the file input fires: the task that holds it is the browser building the dropped FileList (native) plus our handler.
      w.__changeAt = -1;
      addEventListener('change', () => (w.__changeAt = performance.now()), true);
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) {
          w.__longTasks.push(e.duration);
          w.__longTaskStarts.push(e.startTime);
        }
      }).observe({ type: 'longtask', buffered: true });
    },
  });
  const { page } = session;
  try {
    await page.waitForFunction(() => window.__earshot.state().availableModels.length > 0, null, { timeout: 60_000 });
    if (sample.length > 0) {
      // Step-by-step cost of the per-file path, on the app's own modules (served by the dev server).
      // A private input: the app's own would start a run.
      await page.evaluate(() => {
        const el = document.createElement('input');
        el.type = 'file';
        el.multiple = true;
        el.id = 'bench-files';
        document.body.append(el);
      });
      await page.locator('#bench-files').setInputFiles(sample);
      const profile = await page.evaluate(async () => {
        const input = document.getElementById('bench-files') as HTMLInputElement;
        const files = [...(input.files ?? [])];
        const decodeMod = (await import(
          /* @vite-ignore */ String('/src/audio/decode.ts')
        )) as typeof import('../src/audio/decode.ts');
        const featMod = (await import(
          /* @vite-ignore */ String('/src/audio/features.ts')
        )) as typeof import('../src/audio/features.ts');
        const urlMod = (await import(
          /* @vite-ignore */ String('/src/audio/worklets/logmel.worklet.ts?worker&url')
        )) as { default: string };
        const t = { decode: 0, context: 0, addModule: 0, renderOne: 0, renderBatch: 0 };
        const buffers: AudioBuffer[] = [];
        for (const f of files) {
          const a = performance.now();
          buffers.push((await decodeMod.decodeFile(f)).buffer);
          t.decode += performance.now() - a;
        }
        for (const b of buffers) {
          const a = performance.now();
          const ctx = new OfflineAudioContext({
            numberOfChannels: 1,
            length: b.length + 256,
            sampleRate: b.sampleRate,
          });
          const c = performance.now();
          await ctx.audioWorklet.addModule(urlMod.default);
          const d = performance.now();
          t.context += c - a;
          t.addModule += d - c;
        }
        for (const b of buffers) {
          const a = performance.now();
          await featMod.renderPatches(b, () => undefined);
          t.renderOne += performance.now() - a;
        }
        const batchFn = (
          featMod as unknown as { renderPatchesBatch?: (bs: AudioBuffer[], cb: () => void) => Promise<unknown> }
        ).renderPatchesBatch;
        if (batchFn) {
          const a = performance.now();
          await batchFn(buffers, () => undefined);
          t.renderBatch = performance.now() - a;
        }
        return { n: files.length, ...t };
      });
      const per = (ms: number) => (ms / profile.n).toFixed(2);
      console.error(
        `profile (${profile.n} files, ms per file): read+decode=${per(profile.decode)} new_context=${per(profile.context)} addModule=${per(profile.addModule)} ` +
          `renderPatches_single(context+addModule+render)=${per(profile.renderOne)}` +
          (profile.renderBatch > 0 ? ` renderPatchesBatch=${per(profile.renderBatch)}` : ''),
      );
      await page.reload();
      await page.waitForFunction(() => window.__earshot?.state().availableModels.length, null, { timeout: 60_000 });
    }
    // Long tasks from start-up are not the run's.
    await page.evaluate(() => {
      const w = window as unknown as { __longTasks: number[]; __longTaskStarts: number[]; __runT0: number };
      w.__longTasks.length = 0;
      w.__longTaskStarts.length = 0;
      w.__runT0 = performance.now();
    });
    let peak = chromiumRssMb();
    const sampler = setInterval(() => {
      peak = Math.max(peak, chromiumRssMb());
    }, 250);
    // --cpuprofile: the main thread's self time by function over the drop (where the bookkeeping goes).
    /** The page clock when the profile started, to place its samples inside the long tasks. */
    let profilePageT0 = 0;
    let cdp =
      process.argv.includes('--cpuprofile') || process.argv.includes('--cpuprofile-first')
        ? await page.context().newCDPSession(page)
        : null;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 1000 });
      await cdp.send('Profiler.start');
      profilePageT0 = await page.evaluate(() => performance.now());
    }
    /** Stops the CPU profile and prints self and inclusive time by function. */
    const reportProfile = async (): Promise<void> => {
      if (!cdp) return;
      const { profile } = (await cdp.send('Profiler.stop')) as {
        profile: {
          startTime: number;
          nodes: {
            id: number;
            children?: number[];
            positionTicks?: { line: number; ticks: number }[];
            callFrame: { functionName: string; url: string; lineNumber: number };
          }[];
          samples: number[];
          timeDeltas: number[];
        };
      };
      const byId = new Map(profile.nodes.map((n) => [n.id, n]));
      const parentOf = new Map<number, number>();
      for (const n of profile.nodes) for (const c of n.children ?? []) parentOf.set(c, n.id);
      const keyOf = (id: number) => {
        const n = byId.get(id)!;
        return `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.replace(/^.*\/src\//, 'src/').replace(/\?.*$/, '')}:${n.callFrame.lineNumber + 1}`;
      };
      const self = new Map<number, number>();
      profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
      const byFn = new Map<string, number>();
      for (const n of profile.nodes) {
        const key = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.replace(/^.*\/src\//, 'src/').replace(/\?.*$/, '')}:${n.callFrame.lineNumber + 1}`;
        byFn.set(key, (byFn.get(key) ?? 0) + (self.get(n.id) ?? 0));
      }
      const top = [...byFn].sort((a, b) => b[1] - a[1]).slice(0, 25);
      for (const [k, us] of top) console.error(`  cpu self ${(us / 1000).toFixed(0).padStart(7)} ms  ${k}`);
      // The app's costliest function by source line (of the served, type-stripped module).
      const hot = top.find(([k]) => k.includes(' src/'))?.[0];
      const lines = new Map<number, number>();
      for (const n of profile.nodes) {
        if (keyOf(n.id) !== hot) continue;
        for (const t of n.positionTicks ?? []) lines.set(t.line, (lines.get(t.line) ?? 0) + t.ticks);
      }
      if (hot)
        console.error(
          `  hottest lines of ${hot}: ${[...lines]
            .sort((a, b) => b[1] - a[1])
            .slice(0, 6)
            .map(([l, t]) => `${l}:${t}`)
            .join(' ')}`,
        );
      // Inclusive time of the app's own functions (counted once per stack even when recursive).
      const incl = new Map<string, number>();
      profile.samples.forEach((leaf, i) => {
        const seen = new Set<string>();
        for (let id: number | undefined = leaf; id !== undefined; id = parentOf.get(id)) {
          const k = keyOf(id);
          if (!k.includes(' src/') || seen.has(k)) continue;
          seen.add(k);
          incl.set(k, (incl.get(k) ?? 0) + (profile.timeDeltas[i] ?? 0));
        }
      });
      for (const [k, us] of [...incl].sort((a, b) => b[1] - a[1]).slice(0, 25))
        console.error(`  cpu incl ${(us / 1000).toFixed(0).padStart(7)} ms  ${k}`);
      // Inside the longest tasks: time by (innermost app function ← leaf), so each long task names its cause.
      const tasks = await page.evaluate(() => {
        const w = window as unknown as { __longTasks: number[]; __longTaskStarts: number[] };
        return w.__longTasks.map((d, i) => ({ d, at: w.__longTaskStarts[i] ?? 0 }));
      });
      const sampleAtMs: number[] = [];
      let tUs = 0;
      for (const dt of profile.timeDeltas) sampleAtMs.push(profilePageT0 + (tUs += dt) / 1000);
      for (const task of tasks.sort((a, b) => b.d - a.d).slice(0, 6)) {
        const inTask = new Map<string, number>();
        profile.samples.forEach((leaf, i) => {
          const at = sampleAtMs[i]!;
          if (at < task.at || at > task.at + task.d) return;
          let app = '';
          for (let id: number | undefined = leaf; id !== undefined; id = parentOf.get(id)) {
            const k = keyOf(id);
            if (k.includes(' src/')) {
              app = k;
              break;
            }
          }
          const k = `${app || '(no app frame)'} ← ${keyOf(leaf)}`;
          inTask.set(k, (inTask.get(k) ?? 0) + (profile.timeDeltas[i] ?? 0));
        });
        const parts = [...inTask]
          .sort((a, b) => b[1] - a[1])
          .slice(0, 5)
          .map(([k, us]) => `${(us / 1000).toFixed(0)} ms ${k}`);
        console.error(`  long task ${task.d.toFixed(0)} ms: ${parts.join(' | ')}`);
      }
      cdp = null;
    };
    // --trace: a Chromium trace over the drop; each of the longest main-thread tasks is broken into its trace events
    // (layout, paint, GC, message deserialisation, script), which a JS profile only shows as "(program)".
    const tracing = process.argv.includes('--trace');
    if (tracing) await session.browser.startTracing(page, { categories: TRACE_CATEGORIES });
    // --cpuprofile-first S: profile only the first S seconds after the drop (the drop's own long task).
    const profileFirstSec = Number(arg('cpuprofile-first', '0'));
    const t0 = performance.now();
    const cpu0 = chromiumCpuSec();
    await page.getByTestId('folder-input').setInputFiles(dir);
    let lastLog = 0;
    for (;;) {
      const s = await page.evaluate(() => window.__earshot.state());
      if (s.fileCount === FILES && s.phase !== 'running' && s.phase !== 'idle') break;
      if (profileFirstSec > 0 && performance.now() - t0 > profileFirstSec * 1000) await reportProfile();
      if (performance.now() - lastLog > 15_000) {
        lastLog = performance.now();
        const st = (n: keyof typeof s.stages) => `${s.stages[n]?.done ?? 0}/${s.stages[n]?.total ?? 0}`;
        console.error(
          `  ${((performance.now() - t0) / 1000).toFixed(0)} s: decode ${st('decode')} features ${st('features')} embed ${st('embed')} rss ${chromiumRssMb().toFixed(0)} MB`,
        );
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    const wallSec = (performance.now() - t0) / 1000;
    clearInterval(sampler);
    await reportProfile();
    const longestTaskCpuMs = tracing ? reportTrace(await session.browser.stopTracing()) : null;
    const s = await page.evaluate(() => window.__earshot.state());
    const longTasks = await page.evaluate(() => (window as unknown as { __longTasks: number[] }).__longTasks);
    // The drop's own task (the change event: the browser's FileList of every file, then our handler) apart from the run's tasks.
    const { dropTaskMs, runLongest } = await page.evaluate(() => {
      const w = window as unknown as { __longTasks: number[]; __longTaskStarts: number[]; __changeAt: number };
      let drop = 0;
      let run = 0;
      w.__longTasks.forEach((d, i) => {
        const at = w.__longTaskStarts[i] ?? 0;
        if (w.__changeAt >= at && w.__changeAt <= at + d) drop = Math.max(drop, d);
        else run = Math.max(run, d);
      });
      return { dropTaskMs: drop, runLongest: run };
    });
    const longest = runLongest;
    {
      // When the longest tasks ran, against the stages (page clock, seconds from the drop).
      const when = await page.evaluate(() => {
        const w = window as unknown as { __longTasks: number[]; __longTaskStarts: number[]; __runT0: number };
        return { t0: w.__runT0, tasks: w.__longTasks.map((d, i) => ({ d, at: w.__longTaskStarts[i] ?? 0 })) };
      });
      const rel = (t: number | null | undefined) => (t == null ? '?' : ((t - when.t0) / 1000).toFixed(1));
      console.error(
        `  stages (s from drop): ${(['decode', 'features', 'embed', 'project'] as const).map((n) => `${n} ${rel(s.stages[n]?.startedAt)}–${rel(s.stages[n]?.finishedAt)}`).join(', ')}`,
      );
      for (const t of when.tasks.sort((a, b) => b.d - a.d).slice(0, 12))
        console.error(`  long task ${t.d.toFixed(0)} ms at ${rel(t.at)} s`);
    }
    const stage = (n: keyof typeof s.stages) => {
      const st = s.stages[n];
      return st?.startedAt != null && st.finishedAt != null ? ((st.finishedAt - st.startedAt) / 1000).toFixed(1) : '?';
    };
    const counts = (n: keyof typeof s.stages) => `${s.stages[n]?.done}/${s.stages[n]?.total}`;
    console.error(
      `phase=${s.phase}${s.message ? ` (${s.message})` : ''} model=${s.model?.modelId ?? '?'} backend=${s.model?.backend ?? '?'} points=${s.pointCount} failed=${s.failed.length} (expected ${broken}) ` +
        `decode=${counts('decode')} features=${counts('features')} embed=${counts('embed')} ` +
        `stage_s: decode=${stage('decode')} features=${stage('features')} embed=${stage('embed')} (${s.patchesPerSec?.toFixed(0)} patches/s) umap=${stage('project')} ` +
        `long_tasks=${longTasks.length} over_200ms=${longTasks.filter((d) => d > 200).length} (longest_task_ms on the last line leaves out the drop's own task, drop_task_ms)`,
    );
    console.log(
      `load: files=${FILES} wall_s=${wallSec.toFixed(1)} ms_per_file=${((wallSec * 1000) / FILES).toFixed(1)} peak_rss_mb=${peak.toFixed(0)} longest_task_ms=${longest.toFixed(0)} drop_task_ms=${dropTaskMs.toFixed(0)}` +
        (longestTaskCpuMs === null ? '' : ` longest_task_cpu_ms=${longestTaskCpuMs.toFixed(0)}`) +
        ` chromium_cpu_s=${(chromiumCpuSec() - cpu0).toFixed(1)} load=${loadavg()[0]!.toFixed(1)}`,
    );
  } finally {
    await session.close();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
