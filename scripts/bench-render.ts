// Benchmark: the scatter at N points in headless Chromium (SwiftShader WebGL) — hover-pick time and frame time while orbiting (usage: npm run bench:render -- [--points N] [--sprites]); writes only stdout.
import { openApp } from './lib/browser.ts';

const PICK_MOVES = 200;
const ORBIT_MOVES = 40;
const HOVER_MOVES = 15;

interface Hook {
  pointToClient(i: number): { x: number; y: number } | null;
  pick(clientX: number, clientY: number): number;
  frameCount(): number;
  count(): number;
}
type HookWindow = Window & { __earshotScatter?: Hook; __frameLog?: { ts: number; rendered: boolean }[] };

function parsePointCount(argv: readonly string[]): number {
  let raw: string | undefined;
  for (let a = 0; a < argv.length; a++) {
    const arg = argv[a]!;
    if (arg === '--points') raw = argv[++a];
    else if (arg.startsWith('--points=')) raw = arg.slice('--points='.length);
  }
  const n = Number(raw ?? '1000000');
  if (!Number.isInteger(n) || n < 1) {
    console.error(`usage: npm run bench:render -- [--points N]   (N a positive integer, got ${raw})`);
    process.exit(2);
  }
  return n;
}

const percentile = (sorted: readonly number[], q: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? Number.NaN;
const median = (values: readonly number[]): number =>
  percentile(
    [...values].sort((a, b) => a - b),
    0.5,
  );

const points = parsePointCount(process.argv.slice(2));
/** --sprites: every point drawn as a thumbnail (the sprite render mode) instead of a dot. */
const sprites = process.argv.includes('--sprites');
const session = await openApp({ path: `/src/scatter/bench.html?points=${points}${sprites ? '&sprites=1' : ''}` });
const { page } = session;
try {
  const loadStarted = Date.now();
  await page.waitForFunction(
    (n) => {
      const hook = (window as HookWindow).__earshotScatter;
      return hook !== undefined && hook.count() === n && hook.frameCount() > 0;
    },
    points,
    { timeout: 600_000, polling: 500 },
  );
  console.log(`  first frame after ${((Date.now() - loadStarted) / 1000).toFixed(1)} s`);

  // 1. Pick time: the hover rule (hook.pick = the code pointermove runs) at cursors on projected points and
  //    at random spots, timed in the page. The first pick builds the index unless the idle callback already did.
  const pick = await page.evaluate(
    ({ moves, n }) => {
      const hook = (window as HookWindow).__earshotScatter!;
      let state = 12345;
      const rand = (): number => {
        state = (Math.imul(state, 1103515245) + 12345) >>> 0;
        return state / 4294967296;
      };
      const firstStart = performance.now();
      hook.pick(innerWidth / 2, innerHeight / 2);
      const firstMs = performance.now() - firstStart;
      const times: number[] = [];
      let hits = 0;
      for (let m = 0; m < moves; m++) {
        let at = m % 2 === 0 ? hook.pointToClient(Math.floor(rand() * n)) : null;
        at ??= { x: rand() * innerWidth, y: rand() * innerHeight };
        const t0 = performance.now();
        const index = hook.pick(at.x, at.y);
        times.push(performance.now() - t0);
        if (index >= 0) hits++;
      }
      return { times, hits, firstMs };
    },
    { moves: PICK_MOVES, n: points },
  );
  const pickSorted = [...pick.times].sort((a, b) => a - b);
  console.log(
    `  pick: ${PICK_MOVES} moves, ${pick.hits} on a point; median ${percentile(pickSorted, 0.5).toFixed(3)} ms, p95 ${percentile(pickSorted, 0.95).toFixed(3)} ms, max ${pickSorted.at(-1)!.toFixed(3)} ms; first pick (incl. index build if not yet built) ${pick.firstMs.toFixed(1)} ms`,
  );

  // 2. Real hovers through the mouse: pointermove → pick (next animation frame) → React → highlight.
  const hoverMs: number[] = [];
  for (let m = 0; m < HOVER_MOVES; m++) {
    const target = await page.evaluate(
      (i) => (window as HookWindow).__earshotScatter!.pointToClient(i),
      (m * 7919) % points,
    );
    if (!target) continue;
    await page.mouse.move(2, 2);
    await page.waitForFunction(
      () => document.querySelector('[data-testid="hovered-index"]')?.textContent === 'none',
      null,
      { polling: 'raf' },
    );
    const t0 = Date.now();
    await page.mouse.move(target.x, target.y);
    await page.waitForFunction(
      () => document.querySelector('[data-testid="hovered-index"]')?.textContent !== 'none',
      null,
      { polling: 'raf' },
    );
    hoverMs.push(Date.now() - t0);
  }
  console.log(
    `  hover → hovered index shown (mouse event, pick, React; includes any frame in flight): median ${median(hoverMs).toFixed(0)} ms over ${hoverMs.length}`,
  );

  // 3. Frame time: drag-orbit in small steps, then let damping settle; a rAF logger in the page records which
  //    animation frames rendered, and intervals between consecutive rendering frames are the frame times.
  await page.evaluate(() => {
    const w = window as HookWindow;
    const log: { ts: number; rendered: boolean }[] = [];
    w.__frameLog = log;
    let last = w.__earshotScatter!.frameCount();
    const tick = (ts: number): void => {
      const now = w.__earshotScatter?.frameCount() ?? last;
      log.push({ ts, rendered: now !== last });
      last = now;
      if (w.__frameLog === log) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  const viewport = page.viewportSize() ?? { width: 1280, height: 800 };
  const cx = viewport.width / 2;
  const cy = viewport.height / 2;
  await page.mouse.move(cx, cy);
  await page.mouse.down();
  for (let s = 1; s <= ORBIT_MOVES; s++) await page.mouse.move(cx + s * 6, cy + s * 2);
  await page.mouse.up();
  await page.waitForTimeout(1500);
  const log = await page.evaluate(() => {
    const w = window as HookWindow;
    const l = w.__frameLog ?? [];
    delete w.__frameLog;
    return l;
  });
  const frameMs: number[] = [];
  for (let t = 1; t < log.length; t++)
    if (log[t]!.rendered && log[t - 1]!.rendered) frameMs.push(log[t]!.ts - log[t - 1]!.ts);
  const frameMedian = median(frameMs);
  console.log(
    `  orbit: ${frameMs.length} back-to-back rendered frames, median ${frameMedian.toFixed(1)} ms, p95 ${percentile(
      [...frameMs].sort((a, b) => a - b),
      0.95,
    ).toFixed(1)} ms`,
  );
  const renderer = await page.evaluate(() => {
    const gl = document.createElement('canvas').getContext('webgl2');
    const info = gl?.getExtension('WEBGL_debug_renderer_info');
    return info && gl ? String(gl.getParameter(info.UNMASKED_RENDERER_WEBGL)) : 'unknown';
  });
  console.log(`  WebGL renderer: ${renderer}`);
  console.log(
    `render: points=${points}${sprites ? ' mode=sprites' : ''} pick_ms_p95=${percentile(pickSorted, 0.95).toFixed(3)} frame_ms_median=${frameMedian.toFixed(1)}`,
  );
} finally {
  await session.close();
}
