// bench:open — generates a dataset in Node (native 100k points by default, or scatter-sounds), serves it with Range and CORS, opens it by URL in headless Chromium and measures the first frame and hover-to-audio. Last line: "open: points=… bytes=… first_frame_ms=… hover_audio_ms=…".
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openApp } from './lib/browser.ts';
import { writeNativeFixture, writeScatterFixture } from '../e2e/support/datasetFixtures.ts';
import { startStaticServer } from '../e2e/support/staticServer.ts';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}
const points = Number(arg('points', '100000'));
const format = arg('format', 'native');
if (!Number.isInteger(points) || points < 2) throw new Error('--points must be an integer ≥ 2');
if (format !== 'native' && format !== 'scatter-sounds') throw new Error('--format is native or scatter-sounds');

const dir = mkdtempSync(join(tmpdir(), 'earshot-bench-open-'));
const t0 = Date.now();
let entry: string;
let bytes: number;
if (format === 'native') {
  const f = writeNativeFixture(dir, {
    points,
    files: Math.max(1, Math.round(points / 100)),
    audioFiles: 20,
    sprites: points <= 20_000,
  });
  entry = f.manifestPath;
  bytes = f.eagerBytes;
  console.log(
    `generated native dataset: ${points} points, ${Math.round(points / 100)} files, ${(f.bytes / 1e6).toFixed(1)} MB on disk (${f.eagerBytes} bytes fetched before the first frame) in ${Date.now() - t0} ms`,
  );
} else {
  const f = writeScatterFixture(dir, 'bench', 'clips', points);
  entry = f.configPath;
  const { statSync, readdirSync } = await import('node:fs');
  bytes = readdirSync(join(dir, 'data'))
    .filter((n) => !n.endsWith('.flac') && !n.includes('_sprite'))
    .reduce((a, n) => a + statSync(join(dir, 'data', n)).size, 0);
  console.log(
    `generated scatter-sounds clip dataset: ${points} points (${(0.96 * points).toFixed(0)} s of FLAC) in ${Date.now() - t0} ms`,
  );
}
const server = await startStaticServer({ root: dir, cors: true });
const session = await openApp({});
const { page } = session;
try {
  // Warm the dev server's module cache once, so the figure is the app's work, not Vite transforming modules.
  const datasetUrl = `${server.url}/${entry}`;
  const target = `${session.baseUrl}/?dataset=${encodeURIComponent(datasetUrl)}`;
  await page.goto(target);
  // A link to another origin's dataset asks first (the figure then starts at the click).
  await page.getByTestId('confirm-open-yes').click();
  await page.waitForFunction((n) => window.__earshotScatter?.count() === n, points, { timeout: 120_000 });
  const runs: number[] = [];
  for (let r = 0; r < 3; r++) {
    await page.goto(target);
    await page.getByTestId('confirm-open-yes').click();
    // From the moment the app starts opening the URL to the first rendered frame that holds all points.
    const ms = await page.evaluate(
      (n) =>
        new Promise<number>((resolve, reject) => {
          const deadline = performance.now() + 120_000;
          const tick = (): void => {
            const s = window.__earshotScatter;
            const mark = performance.getEntriesByName('earshot:dataset-open')[0];
            if (s && mark && s.count() === n && s.frameCount() > 0) resolve(performance.now() - mark.startTime);
            else if (performance.now() > deadline) reject(new Error('no frame'));
            else requestAnimationFrame(tick);
          };
          tick();
        }),
      points,
    );
    const nav = await page.evaluate(() => performance.now());
    runs.push(ms);
    console.log(
      `run ${r + 1}: first frame ${ms.toFixed(0)} ms after the open started (page at ${nav.toFixed(0)} ms since navigation)`,
    );
  }
  const firstFrameMs = [...runs].sort((a, b) => a - b)[1]!;

  // Hover: move the mouse onto a point and time until its sound is scheduled (plus the context's output latency).
  await page.mouse.click(2, 2); // a user gesture, so the AudioContext may run
  const hoverOnce = async (i: number): Promise<number | null> => {
    const xy = await page.evaluate((i) => window.__earshotScatter!.pointToClient(i), i);
    if (!xy) return null;
    await page.mouse.move(xy.x + 40, xy.y + 40);
    await page.waitForTimeout(50);
    const before = await page.evaluate(() => performance.now());
    await page.mouse.move(xy.x, xy.y);
    const got = await page.waitForFunction(
      (b) => {
        const last = window.__earshot.lastPlayback();
        return last && last.atMs > b ? last : null;
      },
      before,
      { timeout: 30_000, polling: 5 },
    );
    const last = (await got.jsonValue()) as { atMs: number; startLatencyMs: number };
    return last.atMs - before;
  };
  if (format === 'scatter-sounds') {
    // The one FLAC is fetched and decoded in the background after opening; wait for it as a user would.
    await page.waitForTimeout(200);
  }
  const times: number[] = [];
  const step = Math.max(1, Math.floor(points / 23));
  for (let i = 7; i < points && times.length < 15; i += step) {
    const t = await hoverOnce(i);
    if (t !== null) times.push(t);
  }
  times.sort((a, b) => a - b);
  const cold = times.length > 0 ? Math.max(...times) : NaN;
  const hoverMs = times[Math.floor(times.length / 2)] ?? NaN;
  console.log(
    `hover→audio over ${times.length} points (each a new file span): median ${hoverMs.toFixed(1)} ms, worst ${cold.toFixed(1)} ms; first-frame runs ${runs.map((r) => r.toFixed(0)).join(', ')} ms`,
  );
  console.log(
    `requests to the dataset server: ${server.log.length} (${server.log.filter((l) => l.includes('bytes=')).length} with Range)`,
  );
  console.log(
    `open: points=${points} bytes=${bytes} first_frame_ms=${firstFrameMs.toFixed(0)} hover_audio_ms=${hoverMs.toFixed(0)}`,
  );
} finally {
  await session.close();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
}
