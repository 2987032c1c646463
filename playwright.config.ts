// End-to-end tests: Debian's Chromium (never a downloaded browser) against the Vite dev server.
import { defineConfig } from '@playwright/test';

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
  timeout: 180_000,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: 'http://127.0.0.1:5173',
    viewport: { width: 1280, height: 800 },
    launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS },
    trace: 'off',
  },
  webServer: [
    {
      command: 'npx vite --host 127.0.0.1 --port 5173 --strictPort',
      url: 'http://127.0.0.1:5173',
      reuseExistingServer: !process.env['CI'],
      timeout: 120_000,
    },
    {
      // As a fresh clone without ../shared sees it: no YAMNet to serve, only the built-in model.
      command: 'npx vite --host 127.0.0.1 --port 5174 --strictPort',
      url: 'http://127.0.0.1:5174',
      env: { EARSHOT_MODELS_DIR: '.cache/no-models', EARSHOT_VITE_CACHE: 'node_modules/.vite-no-models' },
      reuseExistingServer: !process.env['CI'],
      timeout: 120_000,
    },
    {
      // The production build behind `vite preview`: bundled workers, worklet and onnxruntime files.
      command: 'npx vite build --logLevel warn --outDir .cache/dist-e2e && npx vite preview --host 127.0.0.1 --port 4173 --strictPort --outDir .cache/dist-e2e',
      url: 'http://127.0.0.1:4173',
      reuseExistingServer: !process.env['CI'],
      timeout: 180_000,
    },
  ],
});
