// Starts the app's Vite dev server in-process and Debian's Chromium (via Playwright) for scripts that
// measure the real app code: verify:reference, bench:embed, eval:map. Node-only.
import { chromium, type Browser, type Page } from '@playwright/test';
import { createServer, type ViteDevServer } from 'vite';
import { fileURLToPath } from 'node:url';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../playwright.config.ts';

export interface AppSession {
  page: Page;
  browser: Browser;
  server: ViteDevServer;
  baseUrl: string;
  close: () => Promise<void>;
}

/** Open `path` on a fresh dev server; for '/' (the app) wait until the app has mounted. */
export async function openApp(
  opts: { path?: string; logConsole?: boolean; initScript?: () => void; chromiumArgs?: string[] } = {},
): Promise<AppSession> {
  const path = opts.path ?? '/';
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const server = await createServer({
    root,
    configFile: `${root}/vite.config.ts`,
    server: { port: 0, host: '127.0.0.1', strictPort: false },
    logLevel: 'error',
  });
  await server.listen();
  const address = server.httpServer?.address();
  const port = typeof address === 'object' && address ? address.port : 5173;
  const baseUrl = `http://127.0.0.1:${port}`;
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: opts.chromiumArgs ?? CHROMIUM_ARGS,
    headless: true,
  });
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  if (opts.logConsole) page.on('console', (m) => console.error(`[page] ${m.text()}`));
  // tsx compiles with keepNames, so functions passed to page.evaluate may call esbuild's __name helper.
  await page.addInitScript(() => {
    (globalThis as unknown as { __name: (f: unknown) => unknown }).__name = (f) => f;
  });
  if (opts.initScript) await page.addInitScript(opts.initScript);
  page.on('pageerror', (e) => console.error(`[page error] ${e.message}`));
  await page.goto(`${baseUrl}${path}`);
  if (path === '/' || path.startsWith('/?')) {
    await page.waitForFunction(() => window.__earshot !== undefined, null, {
      timeout: 60_000,
    });
  }
  return {
    page,
    browser,
    server,
    baseUrl,
    close: async () => {
      await browser.close();
      await server.close();
    },
  };
}
