// bench:pipeline — one generated 10-minute 256 kHz 24-bit mono WAV through the real app in headless Chromium (YAMNet, streaming path), drop to finished map; prints wall time, real-time multiple and the browser's peak memory (sum of Chromium RSS from /proc). Node-only; the WAV goes to a temp dir and is deleted.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeSyntheticWav } from './lib/genWav.ts';
import { openApp } from './lib/browser.ts';

const AUDIO_SEC = Number(process.env['BENCH_AUDIO_SEC'] ?? 600);
const RATE_HZ = 256_000;
const BITS = 24;

/** Direct and indirect children of `root` (from the ppid in each process's /proc stat file). */
function descendants(root: number): number[] {
  const parent = new Map<number, number>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parent.set(Number(d), ppid);
    } catch {
      // gone
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const [c, pp] of parent) if (pp === p) {
      out.push(c);
      walk(c);
    }
  };
  walk(root);
  return out;
}

function chromiumRssMb(): number {
  let kb = 0;
  for (const pid of descendants(process.pid)) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!/chrom/i.test(cmd)) continue;
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m) kb += Number(m[1]);
    } catch {
      // exited between listing and reading
    }
  }
  return kb / 1024;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'earshot-bench-pipeline-'));
  const path = join(dir, 'MARS_20240305_120000.wav');
  try {
    const g0 = performance.now();
    const bytes = await writeSyntheticWav({ path, sampleRateHz: RATE_HZ, channels: 1, bits: BITS, durationSec: AUDIO_SEC, seed: 7 });
    console.error(`generated ${(bytes / 1e6).toFixed(0)} MB in ${((performance.now() - g0) / 1000).toFixed(1)} s`);
    const session = await openApp({ path: '/' });
    const { page } = session;
    try {
      await page.waitForFunction(() => (window as unknown as { __earshot: { state(): { availableModels: string[] } } }).__earshot.state().availableModels.length > 0, null, { timeout: 60_000 });
      const model = await page.evaluate(() => (window as unknown as { __earshot: { pipeline: unknown } }) && (window as unknown as { __earshot: { state(): { availableModels: string[] } } }).__earshot.state().availableModels[0]);
      let peak = chromiumRssMb();
      const sampler = setInterval(() => {
        peak = Math.max(peak, chromiumRssMb());
      }, 200);
      const t0 = performance.now();
      await page.getByTestId('file-input').setInputFiles(path);
      await page.waitForFunction(() => {
        const s = (window as unknown as { __earshot: { state(): { phase: string; pointCount: number } } }).__earshot.state();
        return (s.phase === 'done' || s.phase === 'error') && s.pointCount > 0;
      }, null, { timeout: 600_000, polling: 100 });
      const wallSec = (performance.now() - t0) / 1000;
      clearInterval(sampler);
      const s = await page.evaluate(() => (window as unknown as { __earshot: { state(): { phase: string; pointCount: number; stages: Record<string, { startedAt: number | null; finishedAt: number | null; done: number }>; patchesPerSec: number | null; model: { backend?: string } | null } } }).__earshot.state());
      const stage = (n: string) => {
        const st = s.stages[n];
        return st?.startedAt != null && st.finishedAt != null ? ((st.finishedAt - st.startedAt) / 1000).toFixed(1) : '?';
      };
      console.error(`model=${model} backend=${s.model?.backend ?? '?'} features_s=${stage('features')} embed_s=${stage('embed')} (${s.stages['embed']?.done} patches, ${s.patchesPerSec?.toFixed(0)} patches/s) umap_s=${stage('project')}`);
      console.log(`pipeline: audio_s=${AUDIO_SEC} rate_hz=${RATE_HZ} bits=${BITS} wall_s=${wallSec.toFixed(1)} x_realtime=${(AUDIO_SEC / wallSec).toFixed(1)} peak_rss_mb=${peak.toFixed(0)} points=${s.pointCount}`);
    } finally {
      await session.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
