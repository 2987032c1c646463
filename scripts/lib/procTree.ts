// Process-tree helpers for the Node benches (Linux /proc only): which processes a bench started, and how much memory
// its Chromium holds.
import { readFileSync, readdirSync } from 'node:fs';

/** Direct and indirect children of `root` (from the ppid in each process's /proc stat file). */
export function descendants(root: number): number[] {
  const parent = new Map<number, number>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      parent.set(Number(d), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const [c, pp] of parent)
      if (pp === p) {
        out.push(c);
        walk(c);
      }
  };
  walk(root);
  return out;
}

/** Sum of VmRSS over this process's Chromium descendants, in MB (shared pages counted once per process). */
export function chromiumRssMb(): number {
  let kb = 0;
  for (const pid of descendants(process.pid)) {
    try {
      if (!/chrom/i.test(readFileSync(`/proc/${pid}/cmdline`, 'utf8'))) continue;
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m) kb += Number(m[1]);
    } catch {
      // exited between listing and reading
    }
  }
  return kb / 1024;
}

/** CPU seconds (user + system) used so far by this process's descendants (Chromium and its helpers). */
export function chromiumCpuSec(): number {
  let ticks = 0;
  for (const pid of descendants(process.pid)) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(f[11]) + Number(f[12]); // utime, stime (fields 14 and 15)
    } catch {
      // gone
    }
  }
  return ticks / 100; // USER_HZ
}
