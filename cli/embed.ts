// `earshot embed`: inputs → shard → resume check → feature worker threads (decode, 16 kHz, log-mel) overlapped with batched onnxruntime-node inference on the main thread → one atomic part per file; then optionally the dataset. Orchestration only: DSP in src/dsp, model in model.ts.
import { mkdir, rm } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { errorMessage } from '../src/lib/errors.ts';
import { fileFeatures } from './fileFeatures.ts';
import type { FileFeaturesResult, FileHeaderInfo } from './fileFeatures.ts';
import type { FromWorker, ToWorker } from './featureWorker.ts';
import { writeFileAtomic } from './fsUtil.ts';
import { expandInputs, selectShard } from './inputs.ts';
import { lockFolder } from './lock.ts';
import type { ExpandedInputs, InputFile, ShardSpec, SkippedInput } from './inputs.ts';
import { loadModel } from './model.ts';
import type { LoadedModel } from './model.ts';
import { PARTS_DIR, RUN_INDEX_FILE, partFileName, readPartHeader, removeStaleTemps, writePart } from './part.ts';
import type { RunIndex } from './part.ts';
import { ProgressBar } from './progress.ts';

export interface EmbedOptions {
  inputs: readonly string[];
  outDir: string;
  /** "yamnet", "builtin", a model manifest (.json) or an .onnx file. */
  model: string;
  shard: ShardSpec | null;
  /** Feature worker threads; 0 runs features on the main thread (slower: inference blocks it). */
  workers?: number | undefined;
  /** onnxruntime intra-op threads. */
  threads?: number | undefined;
  /** Patches per inference run. */
  batchPatches?: number | undefined;
  /** Redo files whose part says they failed (default: keep the failure). */
  retryFailed?: boolean | undefined;
  progress?: boolean | undefined;
  cwd?: string | undefined;
  /** Where lines for the user go (errors, summary); default stderr. */
  log?: ((line: string) => void) | undefined;
}

export interface EmbedSummary {
  assigned: number;
  /** Files whose part was already there (a resumed run). */
  reused: number;
  done: number;
  failed: number;
  failures: { path: string; code: string; message: string }[];
  /** Paths of the files skipped as not audio by extension (labels.csv, README…). */
  skippedNonAudio: string[];
  /** Every entry of the inputs not embedded, with why (non-audio, broken links, FIFOs, empty folders, links out of the inputs…). */
  skipped: SkippedInput[];
  /** Folders reached twice (symlink loops), read once. */
  notes: string[];
  audioSec: number;
  patches: number;
  wallSec: number;
  /** Seconds in model runs (main thread) and in the frontend (summed over feature threads). */
  inferenceSec: number;
  featureSec: number;
  /** Peak resident memory of the process (all threads), MB. */
  maxRssMb: number;
  /** CPU time of the whole process (all threads) during the run, user + system, seconds. */
  cpuSec: number;
  threads: number;
  workers: number;
  model: { id: string; sha256: string; dim: number };
}

/** Defaults measured on a 2-core machine: features on every core, inference on one thread (it shares them). */
export function defaultWorkers(): number {
  return Math.max(1, Math.min(8, availableParallelism()));
}
export const DEFAULT_THREADS = 1;
export const DEFAULT_BATCH_PATCHES = 32;
/** Above this many patches waiting for the model, no new file is started (memory bound: 24 KiB a patch). */
const QUEUE_HIGH_WATER_PATCHES = 2048;

interface Lane {
  busy: boolean;
  send(msg: ToWorker): void;
  close(): Promise<void>;
}

type Listener = (msg: FromWorker) => void;

function threadLane(onMessage: Listener, onCrash: (err: Error) => void): Lane {
  const worker = new Worker(new URL('./featureWorker.mjs', import.meta.url));
  worker.on('message', onMessage);
  worker.on('error', onCrash);
  const lane: Lane = {
    busy: false,
    send: (msg) => worker.postMessage(msg),
    close: async () => {
      await worker.terminate();
    },
  };
  return lane;
}

/** Features on the main thread (workers = 0): same messages, no thread. */
function inlineLane(onMessage: Listener): Lane {
  return {
    busy: false,
    send: (msg) => {
      if (msg.type !== 'file') return;
      const { job } = msg;
      void fileFeatures(
        msg.absPath,
        msg.name,
        (info) => onMessage({ type: 'header', job, info }),
        (first, count, data) => onMessage({ type: 'patches', job, first, count, data }),
        msg.patchesPerBatch,
        msg.frontend,
      ).then(
        (result) => onMessage({ type: 'done', job, result }),
        (err: unknown) =>
          onMessage({
            type: 'error',
            job,
            code: (err as { code?: string }).code ?? 'E_INTERNAL',
            message: errorMessage(err),
          }),
      );
    },
    close: () => Promise.resolve(),
  };
}

interface Job {
  id: number;
  input: InputFile;
  lane: Lane;
  header: FileHeaderInfo | null;
  embeddings: Float32Array | null;
  embedded: number;
  result: FileFeaturesResult | null;
  error: { code: string; message: string } | null;
  finished: boolean;
  /** The clip-level embedding once computed (EfficientAT clips), or null. */
  clip: Float32Array | null;
  clipDone: boolean;
}

interface Queued {
  job: Job;
  /** Index of the chunk's first patch in its file. */
  first: number;
  count: number;
  data: Float32Array;
}

/** At most this many skipped entries are listed one per line (--json has them all). */
const SKIPPED_LINES_MAX = 50;

const nonAudio = (e: ExpandedInputs): string[] => e.skipped.filter((s) => s.code === 'E_NOT_AUDIO').map((s) => s.path);

/** "3 non-audio files skipped, 2 other entries skipped (listed above)". */
export function skippedText(e: ExpandedInputs): string {
  const plain = nonAudio(e).length;
  const other = e.skipped.length - plain;
  return `${plain} non-audio files skipped${other > 0 ? `, ${other} other entries skipped (listed above)` : ''}`;
}

/**
 * What the input walk passed over, for the user: folder loops as notes naming the link, and every entry skipped for a
 * reason other than its extension (broken links, FIFOs, empty folders, links out of the inputs, resource forks…).
 */
export function describeExpansion(e: ExpandedInputs): string[] {
  const lines = e.notes.map((n) => `note: ${n}`);
  const unusual = e.skipped.filter((s) => s.code !== 'E_NOT_AUDIO');
  for (const s of unusual.slice(0, SKIPPED_LINES_MAX)) lines.push(`skipped: ${s.path}: ${s.reason}`);
  if (unusual.length > SKIPPED_LINES_MAX)
    lines.push(`skipped: … and ${unusual.length - SKIPPED_LINES_MAX} more (--json lists every one)`);
  return lines;
}

export async function runEmbed(options: EmbedOptions): Promise<EmbedSummary> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const startMs = performance.now();
  const cpuStart = process.cpuUsage();
  const expanded = await expandInputs(options.inputs, options.cwd);
  for (const arg of expanded.unmatched) log(`warning: ${arg}: no such file, folder or matching path`);
  for (const line of describeExpansion(expanded)) log(line);
  if (expanded.files.length === 0) throw new Error('no input files (give files, folders or globs of WAV files)');
  const assigned = selectShard(expanded.files, options.shard);
  const outDir = options.outDir;
  await mkdir(join(outDir, PARTS_DIR), { recursive: true });
  const unlock = await lockFolder(outDir, 'earshot embed');
  try {
    return await embedLocked(options, expanded, assigned, log, startMs, cpuStart);
  } finally {
    await unlock();
  }
}

async function embedLocked(
  options: EmbedOptions,
  expanded: Awaited<ReturnType<typeof expandInputs>>,
  assigned: InputFile[],
  log: (line: string) => void,
  startMs: number,
  cpuStart: NodeJS.CpuUsage,
): Promise<EmbedSummary> {
  const outDir = options.outDir;
  // The run index says "finished"; it comes back only when this run finishes.
  await rm(join(outDir, RUN_INDEX_FILE), { force: true });
  await removeStaleTemps(outDir);

  const threads = options.threads ?? DEFAULT_THREADS;
  const model = await loadModel(options.model, threads);
  const summary: EmbedSummary = {
    assigned: assigned.length,
    reused: 0,
    done: 0,
    failed: 0,
    failures: [],
    skippedNonAudio: nonAudio(expanded),
    skipped: expanded.skipped,
    notes: expanded.notes,
    audioSec: 0,
    patches: 0,
    wallSec: 0,
    inferenceSec: 0,
    featureSec: 0,
    maxRssMb: 0,
    cpuSec: 0,
    threads,
    workers: 0,
    model: { id: model.id, sha256: model.sha256, dim: model.dim },
  };

  // Resume: a part made from the same bytes (size, mtime) with the same model is kept.
  const todo: InputFile[] = [];
  for (const input of assigned) {
    const h = await readPartHeader(join(outDir, PARTS_DIR, partFileName(input.path)));
    const same =
      h !== null &&
      h.path === input.path &&
      h.source.sizeBytes === input.sizeBytes &&
      h.source.mtimeMs === input.mtimeMs &&
      h.model.sha256 === model.sha256;
    if (same && (h.status === 'done' || !options.retryFailed)) {
      summary.reused++;
      if (h.status === 'done') summary.done++;
      else {
        summary.failed++;
        summary.failures.push({
          path: input.path,
          code: h.error?.code ?? 'E_INTERNAL',
          message: h.error?.message ?? 'failed',
        });
      }
    } else todo.push(input);
  }
  const shardText = options.shard
    ? ` (shard ${options.shard.index}/${options.shard.count} from ${options.shard.source})`
    : '';
  log(
    `earshot embed: ${assigned.length} of ${expanded.files.length} files${shardText}, ${summary.reused} already done, ${todo.length} to embed with ${model.name} ` +
      `(dim ${model.dim}); ${skippedText(expanded)}`,
  );

  try {
    await embedFiles(todo, model, outDir, options, summary, log);
  } finally {
    await model.release();
  }
  summary.wallSec = (performance.now() - startMs) / 1000;
  summary.maxRssMb = process.resourceUsage().maxRSS / 1024;
  const cpu = process.cpuUsage(cpuStart);
  summary.cpuSec = (cpu.user + cpu.system) / 1e6;
  const index: RunIndex = {
    format: 'earshot-shard',
    version: 1,
    model: summary.model,
    shard: options.shard ? { index: options.shard.index, count: options.shard.count } : null,
    merged: null,
    files: { assigned: summary.assigned, done: summary.done, failed: summary.failed },
    skippedNonAudio: summary.skippedNonAudio.length,
  };
  await writeFileAtomic(join(outDir, RUN_INDEX_FILE), `${JSON.stringify(index, null, 1)}\n`);
  return summary;
}

async function embedFiles(
  todo: InputFile[],
  model: LoadedModel,
  outDir: string,
  options: EmbedOptions,
  summary: EmbedSummary,
  log: (line: string) => void,
): Promise<void> {
  if (todo.length === 0) return;
  const laneCount = Math.min(options.workers ?? defaultWorkers(), todo.length);
  summary.workers = laneCount;
  const batchPatches = Math.max(1, options.batchPatches ?? DEFAULT_BATCH_PATCHES);
  const dim = model.dim;
  const jobs = new Map<number, Job>();
  const queue: Queued[] = [];
  let queuedPatches = 0;
  let nextFile = 0;
  const writes: Promise<void>[] = [];
  let fatal: Error | null = null;
  let wakeUp: (() => void) | null = null;
  const wake = (): void => {
    const w = wakeUp;
    wakeUp = null;
    w?.();
  };

  const totalBytes = todo.reduce((n, f) => n + f.sizeBytes, 0);
  let doneBytes = 0;
  let doneAudioSec = 0;
  let filesDone = 0;
  const bar = new ProgressBar('embed', process.stderr, options.progress ?? true);
  const snapshot = () => {
    let partialBytes = 0;
    let partialSec = 0;
    for (const j of jobs.values()) {
      if (j.finished || !j.header || j.header.windowCount === 0) continue;
      const f = j.embedded / j.header.windowCount;
      partialBytes += f * j.input.sizeBytes;
      partialSec += f * j.header.durationSec;
    }
    return {
      filesDone,
      filesTotal: todo.length,
      workDone: doneBytes + partialBytes,
      workTotal: totalBytes,
      audioSec: doneAudioSec + partialSec,
      failed: summary.failed,
    };
  };
  const say = (line: string): void => ((options.progress ?? true) ? bar.log(line) : log(line));

  const finish = (job: Job): void => {
    if (job.finished) return;
    job.finished = true;
    jobs.delete(job.id);
    const { input } = job;
    const h = job.header;
    const failed = job.error !== null;
    const header = {
      format: 'earshot-part' as const,
      version: 1 as const,
      path: input.path,
      audioPath: input.absPath,
      source: { sizeBytes: input.sizeBytes, mtimeMs: input.mtimeMs },
      model: { id: model.id, sha256: model.sha256 },
      status: failed ? ('failed' as const) : ('done' as const),
      error: job.error,
      notes: failed ? [] : (job.result?.notes ?? []),
      durationSec: h?.durationSec ?? 0,
      sampleRateHz: h?.sampleRateHz ?? 0,
      channels: h?.channels ?? 0,
      container: h?.container ?? '',
      bitsPerSample: h?.bitsPerSample ?? 0,
      windowCount: failed ? 0 : (h?.windowCount ?? 0),
      embeddingDim: dim,
      frameCount: failed ? 0 : (h?.frameCount ?? 0),
    };
    const part = {
      header,
      embeddings: failed ? new Float32Array(0) : job.embeddings!,
      framesF16: failed ? new Uint16Array(0) : job.result!.framesF16,
      descriptors: failed ? null : job.result!.descriptors,
      clipEmbedding: failed ? null : job.clip,
    };
    writes.push(
      writePart(outDir, part).then(
        () => {
          filesDone++;
          doneBytes += input.sizeBytes;
          if (failed) {
            summary.failed++;
            summary.failures.push({ path: input.path, code: job.error!.code, message: job.error!.message });
            say(`error: ${input.path}: ${job.error!.message}`);
          } else {
            summary.done++;
            summary.audioSec += header.durationSec;
            summary.patches += header.windowCount;
            doneAudioSec += header.durationSec;
            for (const note of header.notes) say(`note: ${input.path}: ${note}`);
          }
          bar.update(snapshot());
        },
        (err: unknown) => {
          fatal ??= new Error(`could not write the part of ${input.path}: ${errorMessage(err)}`);
          wake();
        },
      ),
    );
  };
  /** Files whose windows are embedded and whose clip pass (EfficientAT) is still to run, in order. */
  const clipQueue: Job[] = [];
  const maybeFinish = (job: Job): void => {
    if (job.error !== null) return finish(job);
    if (job.result === null || job.header === null || job.embedded !== job.header.windowCount) return;
    if (job.result.clipFrames && !job.clipDone) {
      if (!clipQueue.includes(job)) clipQueue.push(job);
      return;
    }
    finish(job);
  };
  const runClip = async (): Promise<void> => {
    const job = clipQueue.shift()!;
    const r = job.result;
    const tRun = performance.now();
    job.clip = r?.clipFrames ? await model.embedClip(r.clipFrames, r.clipFrameCount) : null;
    summary.inferenceSec += (performance.now() - tRun) / 1000;
    job.clipDone = true;
    if (r) r.clipFrames = null;
    maybeFinish(job);
  };

  const onMessage =
    (lane: Lane) =>
    (msg: FromWorker): void => {
      if (msg.type === 'ready') return;
      const job = jobs.get(msg.job);
      if (!job) return;
      if (msg.type === 'header') {
        job.header = msg.info;
        job.embeddings = new Float32Array(msg.info.windowCount * dim);
      } else if (msg.type === 'patches') {
        queue.push({ job, first: msg.first, count: msg.count, data: msg.data });
        queuedPatches += msg.count;
      } else if (msg.type === 'done') {
        job.result = msg.result;
        summary.featureSec += msg.result.featureSec;
        lane.busy = false;
        maybeFinish(job);
      } else {
        job.error = { code: msg.code, message: msg.message };
        lane.busy = false;
        // Patches of a failed file are not embedded.
        for (let i = queue.length - 1; i >= 0; i--) {
          const q = queue[i]!;
          if (q.job === job) {
            queuedPatches -= q.count;
            queue.splice(i, 1);
          }
        }
        maybeFinish(job);
      }
      wake();
    };

  const lanes: Lane[] = [];
  const laneJob = new Map<Lane, Job>();
  const makeLane = (): Lane => {
    let lane: Lane;
    const listener: Listener = (msg) => onMessage(lane)(msg);
    if (laneCount === 0 || options.workers === 0) lane = inlineLane(listener);
    else {
      lane = threadLane(listener, (err) => {
        // A crashed worker fails its file and is replaced; the run goes on.
        const job = laneJob.get(lane);
        if (job && !job.finished)
          listener({
            type: 'error',
            job: job.id,
            code: 'E_WORKER_CRASHED',
            message: `feature worker crashed: ${err.message}`,
          });
        const i = lanes.indexOf(lane);
        if (i >= 0) lanes[i] = makeLane();
        wake();
      });
    }
    return lane;
  };
  for (let i = 0; i < Math.max(1, laneCount); i++) lanes.push(makeLane());

  const dispatch = (): void => {
    for (const lane of lanes) {
      if (lane.busy || nextFile >= todo.length || queuedPatches >= QUEUE_HIGH_WATER_PATCHES) continue;
      const input = todo[nextFile]!;
      const job: Job = {
        id: nextFile,
        input,
        lane,
        header: null,
        embeddings: null,
        embedded: 0,
        result: null,
        error: null,
        finished: false,
        clip: null,
        clipDone: false,
      };
      nextFile++;
      jobs.set(job.id, job);
      laneJob.set(lane, job);
      lane.busy = true;
      lane.send({
        type: 'file',
        job: job.id,
        absPath: input.absPath,
        name: input.path.slice(input.path.lastIndexOf('/') + 1),
        patchesPerBatch: batchPatches,
        frontend: model.frontend,
      });
    }
  };

  // A file's patches go to the model in fixed chunks of its own (patches [k·B, (k+1)·B) of that file, exactly as the
  // feature thread sends them), never mixed with other files' patches: onnxruntime's result for a row can depend on
  // the rows around it (1e-7 for the built-in model), and a file must get the same embedding in every shard and in a
  // resumed run.
  const runBatch = async (): Promise<void> => {
    const q = queue.shift()!;
    queuedPatches -= q.count;
    const tRun = performance.now();
    const out = await model.embed(q.data, q.count);
    summary.inferenceSec += (performance.now() - tRun) / 1000;
    const job = q.job;
    if (!job.finished && job.embeddings) {
      job.embeddings.set(out.subarray(0, q.count * dim), q.first * dim);
      job.embedded += q.count;
      maybeFinish(job);
    }
    bar.update(snapshot());
  };

  try {
    for (;;) {
      if (fatal) throw fatal;
      dispatch();
      const anyBusy = lanes.some((l) => l.busy);
      if (queue.length > 0) {
        await runBatch();
        continue;
      }
      if (clipQueue.length > 0) {
        await runClip();
        continue;
      }
      if (!anyBusy && nextFile >= todo.length && queuedPatches === 0) break;
      await new Promise<void>((resolve) => (wakeUp = resolve));
    }
    await Promise.all(writes);
    if (fatal) throw fatal;
  } finally {
    await Promise.all(lanes.map((l) => l.close()));
  }
  bar.done(snapshot());
}
