// The browser's model cache (Cache API): bytes and manifest of each model the user added, keyed by manifest id, with listing and eviction. Works in windows and workers; it never fetches from the network.
import { manifestToJson, parseManifest, type ModelManifest } from './manifest.ts';

const CACHE_NAME = 'earshot-models-v1';
/** Synthetic same-origin keys; nothing is ever served at these paths. */
const PREFIX = '/__earshot-model-cache/';

function key(id: string, ext: 'onnx' | 'json'): string {
  return new URL(`${PREFIX}${encodeURIComponent(id)}.${ext}`, self.location.origin).href;
}

function available(): boolean {
  return typeof caches !== 'undefined';
}

export interface CachedModel {
  manifest: ModelManifest;
  sizeBytes: number;
}

export async function cachePut(manifest: ModelManifest, bytes: Uint8Array): Promise<void> {
  if (!available()) return;
  const cache = await caches.open(CACHE_NAME);
  const headers = { 'Content-Type': 'application/octet-stream', 'Content-Length': String(bytes.byteLength) };
  await cache.put(key(manifest.id, 'onnx'), new Response(bytes.slice().buffer, { headers }));
  await cache.put(
    key(manifest.id, 'json'),
    new Response(JSON.stringify(manifestToJson(manifest)), { headers: { 'Content-Type': 'application/json' } }),
  );
}

export async function cacheGetBytes(id: string): Promise<Uint8Array | null> {
  if (!available()) return null;
  const cache = await caches.open(CACHE_NAME);
  const res = await cache.match(key(id, 'onnx'));
  return res ? new Uint8Array(await res.arrayBuffer()) : null;
}

/** Every cached model whose manifest still validates (a damaged entry is dropped). */
export async function cacheList(): Promise<CachedModel[]> {
  if (!available()) return [];
  const cache = await caches.open(CACHE_NAME);
  const out: CachedModel[] = [];
  for (const req of await cache.keys()) {
    if (!req.url.endsWith('.json')) continue;
    const res = await cache.match(req);
    const model = await cache.match(req.url.replace(/\.json$/, '.onnx'));
    try {
      if (!res || !model) throw new Error('incomplete');
      const manifest = parseManifest(await res.text());
      out.push({ manifest, sizeBytes: Number(model.headers.get('Content-Length') ?? 0) });
    } catch {
      await cache.delete(req);
    }
  }
  return out.sort((a, b) => a.manifest.name.localeCompare(b.manifest.name));
}

export async function cacheEvict(id: string): Promise<boolean> {
  if (!available()) return false;
  const cache = await caches.open(CACHE_NAME);
  const a = await cache.delete(key(id, 'onnx'));
  const b = await cache.delete(key(id, 'json'));
  return a || b;
}

/** Lower-case hex SHA-256 (WebCrypto). */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes.slice().buffer));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}
