// One writer per output folder: a lock file with host, pid and a heartbeat, so a second `earshot embed`/`merge` into the same folder stops with a clear message while a killed or pre-empted run's lock is taken over; no other logic.
import { hostname } from 'node:os';
import { open, readFile, rm, utimes } from 'node:fs/promises';
import { join } from 'node:path';

export const LOCK_FILE = '.earshot.lock';
/** The holder touches the lock this often; a lock untouched for STALE_MS belongs to a run that is gone. */
const HEARTBEAT_MS = 10_000;
const STALE_MS = 60_000;

interface LockInfo {
  host: string;
  pid: number;
  command: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the folder's lock (or a stale one) and keeps it fresh; the returned function releases it. */
export async function lockFolder(dir: string, command: string): Promise<() => Promise<void>> {
  const path = join(dir, LOCK_FILE);
  const me: LockInfo = { host: hostname(), pid: process.pid, command };
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(JSON.stringify(me));
      await handle.close();
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw err;
      const other = await readFile(path, 'utf8')
        .then((t) => JSON.parse(t) as LockInfo)
        .catch(() => null);
      const st = await import('node:fs/promises').then((fs) => fs.stat(path)).catch(() => null);
      const stale =
        st === null ||
        Date.now() - st.mtimeMs > STALE_MS ||
        (other !== null && other.host === me.host && !alive(other.pid));
      if (!stale) {
        throw new Error(
          `${dir} is being written by another run (${other ? `${other.command}, pid ${other.pid} on ${other.host}` : 'unknown'}); ` +
            `one run per output folder. If that run is gone, wait a minute or delete ${path}.`,
          { cause: err },
        );
      }
      await rm(path, { force: true });
    }
  }
  const timer = setInterval(() => {
    const now = new Date();
    void utimes(path, now, now).catch(() => undefined);
  }, HEARTBEAT_MS);
  timer.unref();
  return async () => {
    clearInterval(timer);
    const holder = await readFile(path, 'utf8')
      .then((t) => JSON.parse(t) as LockInfo)
      .catch(() => null);
    if (holder && holder.pid === me.pid && holder.host === me.host) await rm(path, { force: true });
  };
}
