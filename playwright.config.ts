// End-to-end tests: Debian's Chromium (never a downloaded browser) against the Vite dev server.
import { defineConfig } from '@playwright/test';
import { APP_URL, NO_SHARED_URL, PORTS, PREVIEW_URL } from './e2e/support/servers.ts';

export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-quic',
  '--disable-sync',
  '--autoplay-policy=no-user-gesture-required',
  // WebGL through SwiftShader: --disable-gpu leaves no GL otherwise.
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
];

export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  // npm test runs the hostile specs in their own stage (scripts/test-hostile.ts), so the e2e stage skips them.
  testIgnore: process.env['EARSHOT_SKIP_HOSTILE'] ? ['**/hostile-*.spec.ts', '**/load-many-files.spec.ts'] : [],
  timeout: 180_000,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: APP_URL,
    viewport: { width: 1280, height: 800 },
    launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS },
    trace: 'off',
  },
  webServer: [
    {
      command: `npx vite --host 127.0.0.1 --port ${PORTS.app} --strictPort`,
      url: APP_URL,
      reuseExistingServer: !process.env['CI'],
      timeout: 120_000,
    },
    {
      // As a fresh clone without ../shared sees it: no YAMNet to serve, only the built-in model.
      command: `npx vite --host 127.0.0.1 --port ${PORTS.noShared} --strictPort`,
      url: NO_SHARED_URL,
      env: { EARSHOT_MODELS_DIR: '.cache/no-models', EARSHOT_VITE_CACHE: '.cache/vite-no-models' },
      reuseExistingServer: !process.env['CI'],
      timeout: 120_000,
    },
    {
      // The production build behind `vite preview`: bundled workers, worklet and onnxruntime files.
      command: `npx vite build --mode test --logLevel warn --outDir .cache/dist-e2e && npx vite preview --host 127.0.0.1 --port ${PORTS.preview} --strictPort --outDir .cache/dist-e2e`,
      url: PREVIEW_URL,
      reuseExistingServer: !process.env['CI'],
      timeout: 180_000,
    },
  ],
});
