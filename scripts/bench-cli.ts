// bench:cli — the command line on generated long WAVs (one 256 kHz 24-bit hydrophone-style file among common rates): wall time of `earshot embed` as a user runs it, in real-time multiples. Last line is the figure.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hasEfficientAt, hasShared } from '../src/lib/sharedPaths.ts';
import { writeSyntheticWav } from './lib/genWav.ts';
import type { GenWavSpec } from './lib/genWav.ts';

const minutes = Number(process.env['BENCH_CLI_MINUTES'] ?? 10);
// The CLI's own default: EfficientAT when ../shared has it, else YAMNet, else the built-in model.
const model = process.env['BENCH_CLI_MODEL'] ?? (hasEfficientAt() ? 'efficientat' : hasShared() ? 'yamnet' : 'builtin');
const extra = (process.env['BENCH_CLI_ARGS'] ?? '').split(' ').filter((s) => s !== '');
const root = fileURLToPath(new URL('..', import.meta.url));

const dir = await mkdtemp(join(tmpdir(), 'earshot-bench-cli-'));
try {
  const audioDir = join(dir, 'audio');
  await (await import('node:fs/promises')).mkdir(audioDir);
  const specs: Omit<GenWavSpec, 'path' | 'durationSec'>[] = [
    { sampleRateHz: 256000, channels: 1, bits: 24, seed: 1 },
    { sampleRateHz: 48000, channels: 2, bits: 16, seed: 2 },
    { sampleRateHz: 44100, channels: 2, bits: 16, seed: 3 },
    { sampleRateHz: 32000, channels: 1, bits: 16, seed: 4 },
    { sampleRateHz: 22050, channels: 1, bits: 16, seed: 5 },
    { sampleRateHz: 16000, channels: 1, bits: 16, seed: 6 },
  ];
  let bytes = 0;
  const t0 = performance.now();
  for (const s of specs) {
    const path = join(audioDir, `rec-${s.sampleRateHz}hz-${s.bits}bit-${s.channels}ch.wav`);
    bytes += await writeSyntheticWav({ ...s, path, durationSec: minutes * 60 });
  }
  console.error(
    `bench:cli: generated ${specs.length} files, ${minutes} min each, ${(bytes / 1e6).toFixed(0)} MB in ${((performance.now() - t0) / 1000).toFixed(1)} s (${dir})`,
  );
  const out = join(dir, 'out');
  const args = [
    join(root, 'bin/earshot.mjs'),
    'embed',
    audioDir,
    '--out',
    out,
    '--model',
    model,
    '--no-project',
    '--quiet',
    '--json',
    ...extra,
  ];
  const start = performance.now();
  const stdout = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let text = '';
    child.stdout.on('data', (d: Buffer) => (text += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`earshot embed exited with ${code}`))));
  });
  const wallSec = (performance.now() - start) / 1000;
  const summary = JSON.parse(stdout.trim().split('\n').pop()!) as {
    done: number;
    failed: number;
    audioSec: number;
    patches: number;
    threads: number;
    workers: number;
    wallSec: number;
    inferenceSec: number;
    featureSec: number;
    maxRssMb: number;
    cpuSec: number;
  };
  if (summary.failed > 0 || summary.done !== specs.length) throw new Error(`bench:cli: ${summary.failed} files failed`);
  console.error(
    `bench:cli: model ${model}, ${summary.patches} patches, ${summary.workers} feature threads + ${summary.threads} inference thread(s); ` +
      `inside the run ${summary.wallSec.toFixed(2)} s (${(summary.audioSec / summary.wallSec).toFixed(0)}×), process wall incl. start-up ${wallSec.toFixed(2)} s; ` +
      `time in inference ${summary.inferenceSec.toFixed(1)} s, in features ${summary.featureSec.toFixed(1)} s (summed over threads); peak RSS ${summary.maxRssMb.toFixed(0)} MB`,
  );
  // Other work on a shared machine stretches the wall time; the CPU time the run used does not depend on it much.
  const cores = availableParallelism();
  console.error(
    `bench:cli: CPU time ${summary.cpuSec.toFixed(1)} s (all threads) = ${((summary.cpuSec / summary.audioSec) * 1000).toFixed(2)} ms per second of audio; ` +
      `on ${cores} otherwise idle cores that allows ${(summary.audioSec / (summary.cpuSec / cores)).toFixed(0)}× real time; load average now ${loadavg()[0]!.toFixed(1)}`,
  );
  console.log(
    `cli: files=${summary.done} audio_s=${summary.audioSec.toFixed(0)} wall_s=${wallSec.toFixed(2)} x_realtime=${(summary.audioSec / wallSec).toFixed(0)} threads=${summary.workers + summary.threads}`,
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
