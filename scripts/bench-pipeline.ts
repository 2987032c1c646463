// bench:pipeline — generated 256 kHz 24-bit mono WAVs (MARS_YYYYMMDD_HHMMSS.wav; one 10-minute file by default) through the real app in headless Chromium (YAMNet, streaming path), drop to finished map; prints wall time, real-time multiple and the browser's peak memory (Chromium processes from /proc), with a per-process breakdown on stderr. Node-only; the WAVs go to a temp dir and are deleted.
// Options: --files N (default 1), --seconds S per file (default 600, or BENCH_AUDIO_SEC), --threads T (the app's ?threads=, WASM threads; default: the app's choice). BENCH_QUERY adds to the app's query string (e.g. BENCH_QUERY=save=0: no saving in IndexedDB).
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { writeSyntheticWav } from './lib/genWav.ts';
import { openApp } from './lib/browser.ts';
import { chromiumCpuSec, descendants } from './lib/procTree.ts';

const { values: opts } = parseArgs({
  options: { files: { type: 'string' }, seconds: { type: 'string' }, threads: { type: 'string' } },
  allowPositionals: false,
});
const FILES = Math.max(1, Math.floor(Number(opts.files ?? 1)));
const AUDIO_SEC = Number(opts.seconds ?? process.env['BENCH_AUDIO_SEC'] ?? 600);
const RATE_HZ = 256_000;
const BITS = 24;

/** One Chromium process's memory in MB: RSS (what the figure has always summed), PSS (shared pages split between processes) and private anonymous memory (heaps, WASM memories). */
interface ProcMem {
  kind: string;
  rssMb: number;
  pssMb: number;
  anonMb: number;
}

/** A Chromium process's role from its command line: browser, renderer, gpu-process, utility:<service>, zygote… */
function processKind(cmd: string): string {
  const type = /--type=([\w-]+)/.exec(cmd)?.[1];
  if (!type) return 'browser';
  if (type === 'utility') return `utility:${/--utility-sub-type=[\w.]*\.(\w+)/.exec(cmd)?.[1] ?? '?'}`;
  if (type === 'renderer' && cmd.includes('--top-chrome-webui')) return 'renderer:webui';
  return type;
}

function chromiumMemory(): ProcMem[] {
  const out: ProcMem[] = [];
  for (const pid of descendants(process.pid)) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (!/chrom/i.test(cmd)) continue;
      const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
      const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(rollup)?.[1] ?? 0) / 1024;
      out.push({ kind: processKind(cmd), rssMb: field('Rss'), pssMb: field('Pss'), anonMb: field('Anonymous') });
    } catch {
      // exited between listing and reading
    }
  }
  return out;
}

/** CPU seconds of every thread of the Chromium processes, by process kind and thread name (BENCH_DETAIL). */
function chromiumThreadCpu(): Map<string, number> {
  const out = new Map<string, number>();
  for (const pid of descendants(process.pid)) {
    try {
      const kind = processKind(readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' '));
      for (const tid of readdirSync(`/proc/${pid}/task`)) {
        const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
        const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        const key = `${kind}/${name}#${tid}`;
        out.set(key, (Number(f[11]) + Number(f[12])) / 100);
      }
    } catch {
      // gone
    }
  }
  return out;
}

/** CPU seconds (user + system) used so far by the Chromium processes: a load-independent measure of the work done. */
async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'earshot-bench-pipeline-'));
  // Ten-minute files, back to back from 2024-03-05 12:00:00 UTC, as MARS names them.
  const paths = Array.from({ length: FILES }, (_, i) => {
    const t = new Date(Date.UTC(2024, 2, 5, 12, 0, 0) + i * AUDIO_SEC * 1000).toISOString();
    return join(dir, `MARS_${t.slice(0, 10).replace(/-/g, '')}_${t.slice(11, 19).replace(/:/g, '')}.wav`);
  });
  try {
    const g0 = performance.now();
    let bytes = 0;
    for (const [i, path] of paths.entries())
      bytes += await writeSyntheticWav({
        path,
        sampleRateHz: RATE_HZ,
        channels: 1,
        bits: BITS,
        durationSec: AUDIO_SEC,
        seed: 7 + i,
      });
    console.error(
      `generated ${FILES} file(s), ${(bytes / 1e6).toFixed(0)} MB in ${((performance.now() - g0) / 1000).toFixed(1)} s`,
    );
    const session = await openApp({
      path: `/?${opts.threads ? `threads=${Number(opts.threads)}&` : ''}${process.env['BENCH_QUERY'] ?? ''}`,
    });
    const { page } = session;
    try {
      await page.waitForFunction(() => window.__earshot.state().availableModels.length > 0, null, { timeout: 60_000 });
      const model = await page.evaluate(() => window.__earshot.state().availableModels[0]);
      const idle = chromiumMemory();
      let peakRss = 0;
      let peakPss = 0;
      let atPeak: ProcMem[] = idle;
      /** Each process kind's own peak (they need not peak together). */
      const kindPeak = new Map<string, ProcMem>();
      const sample = () => {
        const m = chromiumMemory();
        const rss = m.reduce((s, p) => s + p.rssMb, 0);
        const pss = m.reduce((s, p) => s + p.pssMb, 0);
        if (rss > peakRss) {
          peakRss = rss;
          atPeak = m;
        }
        peakPss = Math.max(peakPss, pss);
        const byKind = new Map<string, ProcMem>();
        for (const p of m) {
          const k = byKind.get(p.kind) ?? { kind: p.kind, rssMb: 0, pssMb: 0, anonMb: 0 };
          byKind.set(p.kind, {
            kind: p.kind,
            rssMb: k.rssMb + p.rssMb,
            pssMb: k.pssMb + p.pssMb,
            anonMb: k.anonMb + p.anonMb,
          });
        }
        for (const [k, v] of byKind) {
          const old = kindPeak.get(k);
          if (!old || v.rssMb > old.rssMb) kindPeak.set(k, v);
        }
      };
      sample();
      const sampler = setInterval(sample, 200);
      const cpu0 = chromiumCpuSec();
      const threads0 = chromiumThreadCpu();
      const t0 = performance.now();
      await page.getByTestId('file-input').setInputFiles(paths);
      await page.waitForFunction(
        () => {
          const s = window.__earshot.state();
          return (s.phase === 'done' || s.phase === 'error') && s.pointCount > 0;
        },
        null,
        { timeout: 1_800_000, polling: 100 },
      );
      const wallSec = (performance.now() - t0) / 1000;
      const cpuSec = chromiumCpuSec() - cpu0;
      if (process.env['BENCH_DETAIL']) {
        const used = [...chromiumThreadCpu()]
          .map(([k, v]) => [k, v - (threads0.get(k) ?? 0)] as const)
          .filter(([, v]) => v >= 0.2)
          .sort((x, y) => y[1] - x[1]);
        console.error(`CPU s by thread during the run: ${used.map(([k, v]) => `${k} ${v.toFixed(1)}`).join('; ')}`);
      }
      clearInterval(sampler);
      const s = await page.evaluate(() => window.__earshot.state());
      const stage = (n: keyof typeof s.stages) => {
        const st = s.stages[n];
        return st?.startedAt != null && st.finishedAt != null
          ? ((st.finishedAt - st.startedAt) / 1000).toFixed(1)
          : '?';
      };
      const peakQueued = await page.evaluate(() => window.__earshot.peakQueuedPatches?.() ?? 'n/a');
      console.error(`peak patches waiting for the embedder: ${peakQueued}`);
      if (process.env['BENCH_DETAIL']) {
        // The renderer's memory by realm (page, each worker), as Chromium attributes it; may force a GC, so only on request.
        const breakdown = await page.evaluate(async () => {
          const r = await (
            performance as unknown as {
              measureUserAgentSpecificMemory(): Promise<{
                bytes: number;
                breakdown: { bytes: number; types: string[]; attribution: { url: string; scope: string }[] }[];
              }>;
            }
          ).measureUserAgentSpecificMemory();
          return {
            bytes: r.bytes,
            parts: r.breakdown
              .filter((b) => b.bytes > 1e6)
              .map(
                (b) =>
                  `${(b.bytes / 1048576).toFixed(0)} MB ${b.types.join('+')} ${b.attribution.map((a) => `${a.scope}:${a.url.split('/').pop()}`).join(',')}`,
              ),
          };
        });
        console.error(
          `renderer by realm after the run: ${(breakdown.bytes / 1048576).toFixed(0)} MB: ${breakdown.parts.join('; ')}`,
        );
      }
      const fmt = (m: ProcMem) =>
        `${m.kind} rss=${m.rssMb.toFixed(0)} pss=${m.pssMb.toFixed(0)} anon=${m.anonMb.toFixed(0)}`;
      console.error(`idle (app loaded, MB): ${idle.map(fmt).join('; ')}`);
      console.error(`at peak RSS (MB): ${atPeak.map(fmt).join('; ')}`);
      console.error(`per-kind peaks (MB): ${[...kindPeak.values()].map(fmt).join('; ')}`);
      console.error(
        `model=${model} backend=${s.model?.backend ?? '?'} threads=${s.model?.threads ?? '?'} features_s=${stage('features')} embed_s=${stage('embed')} (${s.stages['embed']?.done} patches, ${s.patchesPerSec?.toFixed(0)} patches/s) umap_s=${stage('project')} phase=${s.phase} chromium_cpu_s=${cpuSec.toFixed(1)} (an idle 2-core machine needs at least half that in wall time)`,
      );
      const audioSec = AUDIO_SEC * FILES;
      console.log(
        `pipeline: audio_s=${audioSec} rate_hz=${RATE_HZ} bits=${BITS} wall_s=${wallSec.toFixed(1)} x_realtime=${(audioSec / wallSec).toFixed(1)} peak_rss_mb=${peakRss.toFixed(0)} points=${s.pointCount} files=${FILES} peak_pss_mb=${peakPss.toFixed(0)}`,
      );
    } finally {
      await session.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
