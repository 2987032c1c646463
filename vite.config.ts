// Vite config: React, COOP/COEP on every server (WASM threads need cross-origin isolation),
// and the models plugin that serves YAMNet from a git-ignored folder when ../shared provides it.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { modelsPlugin } from './scripts/viteModelsPlugin.ts';

const root = fileURLToPath(new URL('.', import.meta.url));
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

export default defineConfig({
  plugins: [react(), modelsPlugin(root)],
  // Separate caches let two dev servers (e.g. the e2e "no ../shared" one) run side by side.
  cacheDir: process.env['EARSHOT_VITE_CACHE'] ?? 'node_modules/.vite',
  server: { headers: isolationHeaders, port: 5173, strictPort: true },
  preview: { headers: isolationHeaders, port: 4173, strictPort: true },
  resolve: {
    alias: {
      // The non-bundled build loads its .mjs glue and .wasm from env.wasm.wasmPaths (/ort/, served by us),
      // which also works for its pthread workers in dev and in the production build.
      'onnxruntime-web/webgpu': fileURLToPath(new URL('./node_modules/onnxruntime-web/dist/ort.webgpu.min.mjs', import.meta.url)),
      'onnxruntime-web/wasm': fileURLToPath(new URL('./node_modules/onnxruntime-web/dist/ort.wasm.min.mjs', import.meta.url)),
    },
  },
  worker: { format: 'es' },
  optimizeDeps: {
    exclude: ['onnxruntime-web'],
    // Pre-bundle everything up front: a dependency discovered mid-run (e.g. by a worker) makes the dev
    // server re-optimise and reload the page, which would throw away a map being built.
    include: [
      'react', 'react-dom', 'react-dom/client', 'react/jsx-runtime', 'react/jsx-dev-runtime',
      'three', 'three/examples/jsm/controls/OrbitControls.js', '@react-three/fiber', 'zustand', 'umap-js',
    ],
  },
  build: { target: 'es2022', chunkSizeWarningLimit: 2000 },
});
