// Vite config: React, COOP/COEP (WASM threads need cross-origin isolation) and a Content-Security-Policy on every server, and the models plugin that serves YAMNet from a git-ignored folder when ../shared provides it.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { modelsPlugin } from './scripts/viteModelsPlugin.ts';

const root = fileURLToPath(new URL('.', import.meta.url));
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/**
 * The policy of the built app (README, "Content-Security-Policy", gives it for static hosts).
 * 'wasm-unsafe-eval' lets onnxruntime-web compile its .wasm, and nothing may eval JS. Workers (ours and
 * onnxruntime's threads) and the AudioWorklet load from our own files, so no blob: workers, which would
 * run script built from strings. connect-src reaches http(s) because datasets can be opened from a URL.
 */
const CSP: Record<string, string[]> = {
  'default-src': ["'self'"],
  'script-src': ["'self'", "'wasm-unsafe-eval'"],
  'worker-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-ancestors': ["'none'"],
  'img-src': ["'self'", 'data:', 'blob:'],
  'media-src': ["'self'", 'blob:'],
  'connect-src': ["'self'", 'http:', 'https:'],
  'style-src': ["'self'"],
};

function cspHeader(extra: Record<string, string[]> = {}): string {
  return Object.entries(CSP)
    .map(([directive, sources]) => [directive, ...sources, ...(extra[directive] ?? [])].join(' '))
    .join('; ');
}

// Dev only: React fast refresh puts one fixed inline module script (its preamble) into index.html; allow
// exactly that script by its hash rather than any inline script. Vite's dev client injects CSS as
// <style> elements, hence inline styles in dev. The built app needs neither.
const refreshPreambleHash = `'sha256-${createHash('sha256').update(react.preambleCode.replace('__BASE__', '/')).digest('base64')}'`;
const devCsp = cspHeader({ 'script-src': [refreshPreambleHash], 'style-src': ["'unsafe-inline'"] });

export default defineConfig({
  plugins: [react(), modelsPlugin(root)],
  // Separate caches let two dev servers (e.g. the e2e "no ../shared" one) run side by side.
  cacheDir: process.env['EARSHOT_VITE_CACHE'] ?? '.cache/vite',
  server: { headers: { ...isolationHeaders, 'Content-Security-Policy': devCsp }, port: 5173, strictPort: true },
  preview: { headers: { ...isolationHeaders, 'Content-Security-Policy': cspHeader() }, port: 4173, strictPort: true },
  resolve: {
    alias: {
      // The non-bundled build loads its .mjs glue and .wasm from env.wasm.wasmPaths (/ort/, served by us),
      // which also works for its pthread workers in dev and in the production build.
      'onnxruntime-web/webgpu': fileURLToPath(
        new URL('./node_modules/onnxruntime-web/dist/ort.webgpu.min.mjs', import.meta.url),
      ),
      'onnxruntime-web/wasm': fileURLToPath(
        new URL('./node_modules/onnxruntime-web/dist/ort.wasm.min.mjs', import.meta.url),
      ),
    },
  },
  worker: { format: 'es' },
  optimizeDeps: {
    exclude: ['onnxruntime-web'],
    // Pre-bundle everything up front: a dependency discovered mid-run (e.g. by a worker) makes the dev
    // server re-optimise and reload the page, which would throw away a map being built.
    include: [
      'react',
      'react-dom',
      'react-dom/client',
      'react/jsx-runtime',
      'react/jsx-dev-runtime',
      'three',
      'three/examples/jsm/controls/OrbitControls.js',
      '@react-three/fiber',
      'zustand',
      'umap-js',
    ],
  },
  build: { target: 'es2022', chunkSizeWarningLimit: 2000 },
});
