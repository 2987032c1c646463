// A tiny static file server for tests and benches: GET/HEAD with HTTP Range (206, 416), optional CORS headers, optional "ignore Range", optional dropped connections mid-body, optional 302 redirects to another server, optional stalls (no response, or a byte at a time); Node only, serves one folder and nothing above it.
import { createServer, type Server, type ServerResponse } from 'node:http';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { resolve, sep, extname } from 'node:path';

export interface StaticServerOptions {
  root: string;
  /** Send Access-Control-Allow-Origin: * (and answer preflights); false = a host that refuses cross-origin reads. */
  cors?: boolean;
  /** Answer Range requests with 206 (default) or ignore them and send the whole file. */
  ranges?: boolean;
  /** Cut the connection after this many body bytes (a host or proxy that drops mid-download); see dropTimes. */
  dropAfterBytes?: number;
  /** How many GET responses per path are cut (default 1): later requests, e.g. a Range resume, go through. */
  dropTimes?: number;
  /** Answer every GET/HEAD with "302 Found" to this base URL + the request's path and query (a host that moved). */
  redirectTo?: string;
  /** A stalling host (also settable later with setStall): see StallMode. */
  stall?: StallMode | null;
}

/**
 * 'no-response': accept the request and never answer. 'trickle': send the headers (full Content-Length), then one byte
 * of the file every `everyMs` (a host that is technically alive but useless).
 */
export type StallMode = { kind: 'no-response' } | { kind: 'trickle'; everyMs: number };

export interface StaticServer {
  url: string;
  /** Requests seen, as "METHOD path range". */
  log: string[];
  /** Responses cut by dropAfterBytes, as "path@bytes". */
  dropped: string[];
  /** Start or stop stalling (null: serve normally again). */
  setStall(mode: StallMode | null): void;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.json': 'application/json',
  '.ndjson': 'application/x-ndjson',
  '.wav': 'audio/wav',
  '.flac': 'audio/flac',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.tsv': 'text/tab-separated-values',
  '.csv': 'text/csv',
};

export async function startStaticServer(options: StaticServerOptions): Promise<StaticServer> {
  const root = resolve(options.root);
  const cors = options.cors ?? true;
  const ranges = options.ranges ?? true;
  const log: string[] = [];
  const dropped: string[] = [];
  const cutsByPath = new Map<string, number>();
  let stall: StallMode | null = options.stall ?? null;
  /** Streams the file's [start, end] into res, or cuts the connection after dropAfterBytes. */
  const send = (res: ServerResponse, file: string, path: string, start: number, end: number): void => {
    const cuts = cutsByPath.get(path) ?? 0;
    const limit = options.dropAfterBytes;
    if (limit === undefined || cuts >= (options.dropTimes ?? 1) || end - start + 1 <= limit) {
      createReadStream(file, { start, end }).pipe(res);
      return;
    }
    cutsByPath.set(path, cuts + 1);
    dropped.push(`${path}@${limit}`);
    const stream = createReadStream(file, { start, end: start + limit - 1 });
    stream.on('data', (chunk) => res.write(chunk));
    // The cut comes well after the bytes were handed over, and as a FIN (socket.end flushes first), not a reset: a
    // reset 20 ms after writing let the kernel, or the browser's error path, drop bytes the page had not read yet, so
    // whether a retry could resume by Range was down to timing (it failed 1 run in 5 under load).
    stream.on('end', () => {
      res.write('', () => {
        setTimeout(() => {
          res.socket?.end();
          setTimeout(() => res.socket?.destroy(), 5000).unref();
        }, 750).unref();
      });
    });
  };
  const server: Server = createServer((req, res) => {
    const range = req.headers.range;
    log.push(`${req.method} ${req.url} ${range ?? ''}`.trim());
    if (cors) {
      res.setHeader('Access-Control-Allow-Origin', '*');
      res.setHeader('Access-Control-Expose-Headers', 'Content-Length, Content-Range, Accept-Ranges');
    }
    if (req.method === 'OPTIONS') {
      if (cors) {
        res.setHeader('Access-Control-Allow-Methods', 'GET, HEAD');
        res.setHeader('Access-Control-Allow-Headers', 'Range');
      }
      res.writeHead(204).end();
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    if (stall?.kind === 'no-response') return; // never answered; close() drops the socket
    if (options.redirectTo !== undefined) {
      res.writeHead(302, { Location: `${options.redirectTo}${req.url ?? '/'}`, 'Cache-Control': 'no-store' }).end();
      return;
    }
    let path: string;
    try {
      path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    const file = resolve(root, `.${path}`);
    if ((file !== root && !file.startsWith(root + sep)) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    const size = statSync(file).size;
    if (stall?.kind === 'trickle' && req.method === 'GET' && size > 0) {
      const bytes = readFileSync(file);
      res.writeHead(200, {
        'Content-Length': size,
        'Content-Type': 'application/octet-stream',
        'Cache-Control': 'no-store',
      });
      let at = 0;
      const timer = setInterval(() => {
        if (at < bytes.length) res.write(bytes.subarray(at, ++at));
        else {
          clearInterval(timer);
          res.end();
        }
      }, stall.everyMs);
      res.on('close', () => clearInterval(timer));
      return;
    }
    res.setHeader('Content-Type', TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream');
    res.setHeader('Cache-Control', 'no-store');
    if (ranges) res.setHeader('Accept-Ranges', 'bytes');
    const m = ranges && range ? /^bytes=(\d*)-(\d*)$/.exec(range) : null;
    if (m && (m[1] !== '' || m[2] !== '')) {
      let start: number;
      let end: number;
      if (m[1] === '') {
        start = Math.max(0, size - Number(m[2]));
        end = size - 1;
      } else {
        start = Number(m[1]);
        end = m[2] === '' ? size - 1 : Math.min(size - 1, Number(m[2]));
      }
      if (start >= size || end < start) {
        res.writeHead(416, { 'Content-Range': `bytes */${size}` }).end();
        return;
      }
      res.writeHead(206, { 'Content-Range': `bytes ${start}-${end}/${size}`, 'Content-Length': end - start + 1 });
      if (req.method === 'HEAD') res.end();
      else send(res, file, path, start, end);
      return;
    }
    res.writeHead(200, { 'Content-Length': size });
    if (req.method === 'HEAD') res.end();
    else if (size === 0) res.end();
    else send(res, file, path, 0, size - 1);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    log,
    dropped,
    setStall: (mode) => {
      stall = mode;
    },
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
