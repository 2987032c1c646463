// The page's runtime switches, read from its URL once, by the composition root (main.tsx), into one frozen object;
// every other module asks `runtimeFlags()` instead of parsing `location`. The test switches (`fault`, `stream`) are
// parsed only in dev and test builds (DEVTOOLS), so a production page cannot be told to fail on purpose.
import { DEVTOOLS } from './devtools.ts';
export interface FaultSwitches {
  /** ?fault=webgpu-create: creating a WebGPU session fails. */
  readonly webgpuCreate: boolean;
  /** ?fault=webgpu-lost@N: the WebGPU device is lost before embed call N. */
  readonly webgpuLostAtCall: number | null;
}

export interface RuntimeFlags {
  /** ?dataset=URL: a dataset to open at start-up (a share link in the hash wins over it). */
  readonly dataset: string | null;
  /** ?backend=wasm|webgpu: the starting backend choice (else auto). */
  readonly backend: 'auto' | 'webgpu' | 'wasm';
  /** ?threads=N: WASM threads (0: the worker's default). */
  readonly threads: number;
  /** ?save=0: nothing of this session is written to the browser's storage. */
  readonly save: boolean;
  /** ?restore=0: the last map is not restored at start-up. */
  readonly restore: boolean;
  /** ?cache=0: every file is decoded and embedded again (results are still saved). */
  readonly cache: boolean;
  /** Dev/test builds only. */
  readonly faults: FaultSwitches;
  /** Dev/test builds only: ?stream=always|never overrides the size rule for streaming WAV. */
  readonly stream: 'always' | 'never' | null;
}

const NO_FAULTS: FaultSwitches = Object.freeze({ webgpuCreate: false, webgpuLostAtCall: null });

function testFaults(q: URLSearchParams): FaultSwitches {
  const fault = q.get('fault') ?? '';
  const lost = /^webgpu-lost@(\d+)$/.exec(fault);
  return Object.freeze({ webgpuCreate: fault === 'webgpu-create', webgpuLostAtCall: lost ? Number(lost[1]) : null });
}

/**
 * The flags of a URL query (`location.search`). Test switches only when `devtools` (in a dev or test build; the
 * compile-time DEVTOOLS check lets a production build drop their parsing altogether).
 */
export function parseRuntimeFlags(search: string, devtools: boolean = DEVTOOLS): RuntimeFlags {
  const q = new URLSearchParams(search);
  const backend = q.get('backend');
  const threads = Math.floor(Number(q.get('threads') ?? 0));
  const tests = DEVTOOLS && devtools;
  const stream = tests ? q.get('stream') : null;
  return Object.freeze({
    dataset: q.get('dataset') || null,
    backend: backend === 'wasm' || backend === 'webgpu' ? backend : 'auto',
    threads: Number.isFinite(threads) && threads > 0 ? threads : 0,
    save: q.get('save') !== '0',
    restore: q.get('restore') !== '0',
    cache: q.get('cache') !== '0',
    faults: tests ? testFaults(q) : NO_FAULTS,
    stream: stream === 'always' || stream === 'never' ? stream : null,
  });
}

/** What a page without switches runs with (and Node, and unit tests). */
export const DEFAULT_FLAGS: RuntimeFlags = parseRuntimeFlags('', false);

let installed: RuntimeFlags = DEFAULT_FLAGS;
let wasInstalled = false;

/** Called once, by the composition root, before the app renders. */
export function installRuntimeFlags(flags: RuntimeFlags): void {
  if (wasInstalled) throw new Error('runtime flags are installed once, by main.tsx');
  wasInstalled = true;
  installed = flags;
}

export function runtimeFlags(): RuntimeFlags {
  return installed;
}
