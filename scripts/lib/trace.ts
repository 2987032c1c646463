// Chromium traces for the benches (Node-only): the renderer main thread's longest tasks, each broken into the trace
// events inside it (layout, paint, GC, message handling, script), with its main-thread CPU time beside its wall time.
import { writeFileSync } from 'node:fs';

export const TRACE_CATEGORIES = [
  'toplevel',
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'v8',
  'blink',
  'gpu',
  'cc',
  'disabled-by-default-v8.gc',
  'webaudio',
  'IndexedDB',
  'mojom',
  'ipc',
  'loading',
  'renderer',
  'renderer.scheduler',
  'disabled-by-default-devtools.timeline.frame',
  'benchmark',
  'input',
];

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  /** Thread (CPU) time of the event, µs: wall time less the time the OS had the thread descheduled or waiting. */
  tdur?: number;
  /** name: a thread's (metadata events); src_func/src_file: where a task was posted from; data: a script call's. */
  args?: { name?: string; src_func?: string; src_file?: string; data?: { functionName?: string; url?: string } };
}

/**
 * Prints the renderer main thread's longest tasks, each with its self time by trace event name; returns the most
 * main-thread CPU one task took (ms), which, unlike its wall time, a busy machine does not inflate by descheduling.
 */
export function reportTrace(buf: Buffer): number {
  if (process.env.EARSHOT_TRACE_OUT) writeFileSync(process.env.EARSHOT_TRACE_OUT, buf);
  const events = (JSON.parse(buf.toString('utf8')) as { traceEvents: TraceEvent[] }).traceEvents;
  const main = events.find((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  if (!main) {
    console.error('  trace: no CrRendererMain thread');
    return NaN;
  }
  const onMain = events
    .filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && e.dur !== undefined)
    .sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
  const tasks = onMain.filter((e) => e.name === 'ThreadControllerImpl::RunTask' && e.dur! > 50_000);
  const cpuMs = (e: TraceEvent) => (e.tdur ?? e.dur!) / 1000;
  const maxCpu = tasks.reduce((m, e) => Math.max(m, cpuMs(e)), 0);
  console.error(
    `  trace: ${tasks.length} main-thread tasks over 50 ms, ${tasks.filter((e) => cpuMs(e) > 50).length} of them over 50 ms of main-thread CPU`,
  );
  const label = (e: TraceEvent) =>
    e.name === 'FunctionCall' && e.args?.data?.functionName
      ? `FunctionCall(${e.args.data.functionName} ${(e.args.data.url ?? '').replace(/^.*\/src\//, 'src/').replace(/\?.*$/, '')})`
      : e.name;
  for (const task of [...tasks].sort((a, b) => b.dur! - a.dur!).slice(0, 12)) {
    const end = task.ts + task.dur!;
    const inside = onMain.filter(
      (e) =>
        e !== task &&
        e.ts >= task.ts &&
        e.ts + e.dur! <= end &&
        !(e.name === 'RunTask' && Math.abs(e.dur! - task.dur!) < 1000),
    );
    // Self time: each event's duration less its children's (nesting by time on one thread).
    const self = new Map<string, number>();
    const stack: { e: TraceEvent; child: number }[] = [];
    const pop = () => {
      const top = stack.pop()!;
      self.set(label(top.e), (self.get(label(top.e)) ?? 0) + top.e.dur! - top.child);
      if (stack.length) stack[stack.length - 1]!.child += top.e.dur!;
    };
    for (const e of inside) {
      while (stack.length && e.ts >= stack[stack.length - 1]!.e.ts + stack[stack.length - 1]!.e.dur!) pop();
      stack.push({ e, child: 0 });
    }
    while (stack.length) pop();
    const parts = [...self]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 6)
      .map(([n, us]) => `${(us / 1000).toFixed(0)} ${n}`);
    const from = task.args ?? {};
    console.error(
      `  trace task ${(task.dur! / 1000).toFixed(0)} ms (cpu ${cpuMs(task).toFixed(0)}) at ${((task.ts - tasks[0]!.ts) / 1e6).toFixed(1)} s (posted by ${from.src_func ?? '?'} ${(from.src_file ?? '').split('/').pop()}): ${parts.join(' | ')}`,
    );
  }
  return maxCpu;
}
