// IndexedDB for saved maps and the embedding cache: 'maps' (SavedMap), 'summaries' (what the list shows), 'entries'
// (FileEntry by cache key), 'handles' (FileSystemHandles per map), 'meta' (which map was last worked on).
// Main thread; each call is one transaction, and a failed one rejects with its DOMException (QuotaExceededError…).
import type { FileEntry, SavedMap, SavedMapSummary } from './codec.ts';
import { parseFileEntry, parseSavedMap, parseSummary } from './records.ts';

const DB_NAME = 'earshot';
const DB_VERSION = 1;
type StoreName = 'maps' | 'summaries' | 'entries' | 'handles' | 'meta';

let opening: Promise<IDBDatabase> | null = null;

function open(): Promise<IDBDatabase> {
  opening ??= new Promise<IDBDatabase>((resolve, reject) => {
    if (typeof indexedDB === 'undefined') {
      reject(new Error('this browser has no IndexedDB'));
      return;
    }
    const req = indexedDB.open(DB_NAME, DB_VERSION);
    req.onupgradeneeded = () => {
      const db = req.result;
      for (const name of ['maps', 'summaries', 'entries', 'handles', 'meta'] as const)
        if (!db.objectStoreNames.contains(name)) db.createObjectStore(name);
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB could not be opened'));
    req.onblocked = () => reject(new Error('IndexedDB is blocked by another tab'));
  });
  opening.catch(() => (opening = null));
  return opening;
}

/** Runs `body` in one transaction; resolves with its result once the transaction commits. */
async function tx<T>(
  stores: StoreName[],
  mode: IDBTransactionMode,
  body: (t: IDBTransaction) => T | (() => T),
): Promise<T> {
  const db = await open();
  return new Promise<T>((resolve, reject) => {
    const t = db.transaction(stores, mode);
    let out: T | (() => T);
    t.oncomplete = () => resolve(typeof out === 'function' ? (out as () => T)() : out);
    // An aborted transaction carries the reason (QuotaExceededError when the origin is out of room).
    t.onabort = () => reject(t.error ?? new DOMException('the transaction was aborted', 'AbortError'));
    t.onerror = (ev) => ev.preventDefault();
    try {
      out = body(t);
    } catch (err) {
      t.abort();
      reject(err instanceof Error ? err : new Error(String(err)));
    }
  });
}

function got<T>(req: IDBRequest): () => T {
  return () => req.result as T;
}

export interface SaveBatch {
  map: SavedMap;
  summary: SavedMapSummary;
  entries: FileEntry[];
}

/**
 * Writes new entries, the map record and its summary together, and marks the map as the last one worked on. Entries
 * are put until `untilMs` (performance.now()) has passed, at least one; resolves with how many were written.
 */
export function saveBatch(b: SaveBatch, untilMs = Infinity): Promise<number> {
  return tx(['maps', 'summaries', 'entries', 'meta'], 'readwrite', (t) => {
    let written = 0;
    for (const e of b.entries) {
      if (written > 0 && performance.now() > untilMs) break;
      t.objectStore('entries').put(toStored(e), e.key);
      written++;
    }
    t.objectStore('maps').put(b.map, b.map.id);
    t.objectStore('summaries').put(b.summary, b.map.id);
    t.objectStore('meta').put(b.map.id, 'last');
    return written;
  });
}

export function lastMapId(): Promise<string | null> {
  return tx(['meta'], 'readonly', (t) => {
    const r = t.objectStore('meta').get('last');
    return () => (typeof r.result === 'string' ? r.result : null);
  });
}

/** The map saved under `id` (parsed and migrated to this build's version), null when there is none; throws E_SAVED_MAP naming the field when the record is damaged or newer than this build. */
export async function loadMap(id: string): Promise<SavedMap | null> {
  const raw = await tx(['maps'], 'readonly', (t) => {
    const r = t.objectStore('maps').get(id);
    return () => r.result as unknown;
  });
  return raw === undefined || raw === null ? null : parseSavedMap(raw);
}

/**
 * Thumbnail pixels above this go into IndexedDB as a Blob, stored apart from the record rather than cloned into it:
 * a 10-minute recording's 31 MB of cells cost ~135 MB of transient page memory when cloned (bench:pipeline PSS).
 */
const CELLS_AS_BLOB_BYTES = 128 * 1024;

type StoredEntry = Omit<FileEntry, 'cells'> & { cells: Uint8Array | Blob };

function toStored(e: FileEntry): StoredEntry {
  return e.cells.byteLength > CELLS_AS_BLOB_BYTES ? { ...e, cells: new Blob([e.cells as Uint8Array<ArrayBuffer>]) } : e;
}

/** A stored entry as a FileEntry, or null when it is absent or not a usable one (then the file is embedded again). */
async function fromStored(e: StoredEntry | undefined): Promise<FileEntry | null> {
  if (typeof e !== 'object' || e === null) return null;
  const cells = e.cells instanceof Blob ? new Uint8Array(await e.cells.arrayBuffer()) : e.cells;
  return parseFileEntry({ ...e, cells });
}

/** Entries by key (null where absent), in order. */
export async function loadEntries(keys: readonly (string | null)[]): Promise<(FileEntry | null)[]> {
  const stored = await tx(['entries'], 'readonly', (t) => {
    const store = t.objectStore('entries');
    const reqs = keys.map((k) => (k === null ? null : store.get(k)));
    return () => reqs.map((r) => (r ? (r.result as StoredEntry | undefined) : undefined));
  });
  return Promise.all(stored.map(fromStored));
}

export function loadEntry(key: string): Promise<FileEntry | null> {
  return loadEntries([key]).then((r) => r[0] ?? null);
}

/** The saved-maps list; a stored summary that is not one is left out. */
export async function listSummaries(): Promise<SavedMapSummary[]> {
  const raw = await tx(['summaries'], 'readonly', (t) => got<unknown[]>(t.objectStore('summaries').getAll()));
  return raw.map(parseSummary).filter((s): s is SavedMapSummary => s !== null);
}

export async function renameMap(id: string, name: string): Promise<void> {
  await tx(['maps', 'summaries'], 'readwrite', (t) => {
    const maps = t.objectStore('maps');
    const r = maps.get(id);
    r.onsuccess = () => {
      const m = r.result as SavedMap | undefined;
      if (!m) return;
      maps.put({ ...m, name }, id);
      const s = t.objectStore('summaries');
      const rs = s.get(id);
      rs.onsuccess = () => {
        if (rs.result) s.put({ ...(rs.result as SavedMapSummary), name }, id);
      };
    };
  });
}

/** Deletes a map, its handles, and the cache entries no other saved map uses. */
export async function deleteMap(id: string, keysOf: (m: SavedMap) => string[]): Promise<void> {
  await tx(['maps', 'summaries', 'entries', 'handles', 'meta'], 'readwrite', (t) => {
    const maps = t.objectStore('maps');
    const all = maps.getAll();
    all.onsuccess = () => {
      const list = (all.result as unknown[]).map((raw) => {
        try {
          return parseSavedMap(raw);
        } catch {
          return null;
        }
      });
      const mine = list.find((m) => m?.id === id);
      // A record that cannot be read may use any entry: then no entry is deleted (the cache only grows).
      const readable = list.every((m) => m !== null);
      const keep = new Set(list.filter((m): m is SavedMap => m !== null && m.id !== id).flatMap(keysOf));
      for (const k of mine && readable ? keysOf(mine) : []) if (!keep.has(k)) t.objectStore('entries').delete(k);
      maps.delete(id);
      t.objectStore('summaries').delete(id);
      t.objectStore('handles').delete(id);
      const last = t.objectStore('meta').get('last');
      last.onsuccess = () => {
        if (last.result === id) t.objectStore('meta').delete('last');
      };
    };
  });
}

export function saveHandles(id: string, handles: FileSystemHandle[]): Promise<void> {
  return tx(['handles'], 'readwrite', (t) => {
    t.objectStore('handles').put(handles, id);
  });
}

export function loadHandles(id: string): Promise<FileSystemHandle[]> {
  return tx(['handles'], 'readonly', (t) => {
    const r = t.objectStore('handles').get(id);
    return () => (Array.isArray(r.result) ? (r.result as FileSystemHandle[]) : []);
  });
}
