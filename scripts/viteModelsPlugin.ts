// Vite plugin: serves /models/* from a git-ignored folder (default .cache/models, set by EARSHOT_MODELS_DIR)
// in dev and preview, and copies it into dist/models on build. It never serves anything outside that folder.
import { createReadStream, existsSync, cpSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join, normalize, resolve, sep } from 'node:path';
import type { Connect, Plugin } from 'vite';

const TYPES: Record<string, string> = {
  '.onnx': 'application/octet-stream',
  '.csv': 'text/csv; charset=utf-8',
  '.json': 'application/json',
};

/** The models this folder holds, as the app reads them from /models/index.json. */
export function modelIndex(modelsDir: string): { models: string[] } {
  const models: string[] = [];
  // In order of preference: the app's default is the first one here.
  if (existsSync(join(modelsDir, 'efficientat-mn04', 'mn04_as.onnx'))) models.push('efficientat-mn04');
  if (existsSync(join(modelsDir, 'yamnet', 'yamnet.onnx'))) models.push('yamnet');
  return { models };
}

export function modelsPlugin(root: string): Plugin {
  const modelsDir = resolve(root, process.env['EARSHOT_MODELS_DIR'] ?? '.cache/models');
  let outDir = resolve(root, 'dist');
  const middleware: Connect.NextHandleFunction = (req, res, next) => {
    const url = (req.url ?? '').split('?')[0] ?? '';
    if (!url.startsWith('/models/')) return next();
    if (url === '/models/index.json') {
      // Always answers, so the app learns what is missing without a 404 in the console.
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify(modelIndex(modelsDir)));
      return;
    }
    const rel = normalize(decodeURIComponent(url.slice('/models/'.length)));
    const file = join(modelsDir, rel);
    if (rel.startsWith('..') || !file.startsWith(modelsDir + sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.statusCode = 404;
      res.end('not found');
      return;
    }
    const ext = file.slice(file.lastIndexOf('.'));
    res.setHeader('Content-Type', TYPES[ext] ?? 'application/octet-stream');
    res.setHeader('Content-Length', String(statSync(file).size));
    if (req.method === 'HEAD') return res.end();
    createReadStream(file).pipe(res);
  };
  return {
    name: 'earshot-models',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    configureServer(server) {
      server.middlewares.use(middleware);
    },
    configurePreviewServer(server) {
      server.middlewares.use(middleware);
    },
    closeBundle() {
      if (existsSync(modelsDir)) cpSync(modelsDir, join(outDir, 'models'), { recursive: true, dereference: true });
      mkdirSync(join(outDir, 'models'), { recursive: true });
      writeFileSync(join(outDir, 'models', 'index.json'), JSON.stringify(modelIndex(modelsDir)));
    },
  };
}
