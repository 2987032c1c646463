// The `earshot` command line: parses arguments and runs embed / merge / project / verify; no pipeline logic of its own.
import { parseArgs } from 'node:util';
import { errorMessage } from '../src/lib/errors.ts';
import { DEFAULT_BATCH_PATCHES, DEFAULT_THREADS, defaultWorkers, runEmbed } from './embed.ts';
import { parseShard } from './inputs.ts';
import type { ShardSpec } from './inputs.ts';
import { runMerge } from './merge.ts';
import { runProject } from './project.ts';
import type { ProjectOptions } from './project.ts';
import { verifyDataset } from './verify.ts';
import { hasEfficientAt } from '../src/lib/sharedPaths.ts';

/** EfficientAT mn04 when ../shared has it, as in the app; else YAMNet (whose own message says what is missing). */
function defaultModel(): string {
  return hasEfficientAt() ? 'efficientat' : 'yamnet';
}

const USAGE = `earshot — map sound collections from the command line (same pipeline as the app)

  earshot embed <files|folders|globs…> --out <dir> [options]
      Embeds every WAV (folders are read recursively; quote globs: "data/**/*.wav").
      --model <m>          efficientat (EfficientAT mn04, the default when ../shared has it; else yamnet),
                           yamnet, builtin, a model manifest (.json) or an .onnx file taking
                           [batch, 96, 64] YAMNet log-mel patches
      --shard <i/n>        only this machine's share of the inputs (stable hash of each path);
                           auto/n takes i from JOB_COMPLETION_INDEX (Kubernetes) or SLURM_ARRAY_TASK_ID
      --out <dir>          may contain {shard}, replaced by the shard index
      --workers <n>        feature threads (default ${defaultWorkers()}: the cores)
      --threads <n>        onnxruntime threads (default ${DEFAULT_THREADS})
      --batch <n>          patches per inference run; a file goes in chunks of its own (default ${DEFAULT_BATCH_PATCHES})
      --retry-failed       redo files that failed in an earlier run
      --no-project         do not write the dataset at the end (default when --shard is given)
      --project            write it even for a shard
      --quiet              no progress bar
      Resumable: files already in <dir>/parts are skipped; kill it and run it again.

  earshot merge <shard dirs…> --out <dir> [--project]   joins shard outputs
  earshot project <dir> [--out <dir>]                     3D layout (UMAP, seed 42, as the app) → dataset
      --granularity auto|file|window   auto = the app's rule (per file unless the median file is > 30 s)
      --embeddings float16|float32|none (default float16)
      --audio-base <url>   audio URLs as <url>/<input path> (percent-encoded) instead of paths relative to the
                           dataset; files whose input path climbs out of it (../) get none (listed in the report)
      --name <text>        dataset name
  earshot verify <dir> [--audio-root <dir>]
      checks a dataset as the app would open it, and its audio references; reads only regular files in the
      dataset folder, and audio only inside --audio-root (default: the dataset folder; the CLI's datasets point
      at the input folders, so give the folder that holds them)

Exit status: 0 done (files that could not be read are listed, the run goes on), 1 error, 2 usage.`;

class UsageError extends Error {}

function intOption(value: string | undefined, name: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} must be an integer ≥ ${min} (got "${value}")`);
  return n;
}

function projectOptions(values: Record<string, string | boolean | undefined>): Omit<ProjectOptions, 'dir'> {
  const g = values['granularity'];
  if (g !== undefined && g !== 'auto' && g !== 'file' && g !== 'window')
    throw new UsageError('--granularity must be auto, file or window');
  const e = values['embeddings'];
  if (e !== undefined && e !== 'float16' && e !== 'float32' && e !== 'none')
    throw new UsageError('--embeddings must be float16, float32 or none');
  const out: Omit<ProjectOptions, 'dir'> = { progress: values['quiet'] !== true };
  if (g !== undefined) out.granularity = g;
  if (e !== undefined) out.embeddings = e;
  if (typeof values['audio-base'] === 'string') {
    if (!/^https?:\/\//.test(values['audio-base'])) throw new UsageError('--audio-base must be an http(s) URL');
    // Paths are appended to it: a query or fragment would swallow them.
    const base = URL.canParse(values['audio-base']) ? new URL(values['audio-base']) : null;
    if (!base || base.search !== '' || base.hash !== '')
      throw new UsageError('--audio-base must be an http(s) URL without ?query or #fragment');
    out.audioBase = values['audio-base'];
  }
  if (typeof values['name'] === 'string') out.name = values['name'];
  return out;
}

const PROJECT_FLAGS = {
  granularity: { type: 'string' },
  embeddings: { type: 'string' },
  'audio-base': { type: 'string' },
  name: { type: 'string' },
  quiet: { type: 'boolean' },
} as const;

async function project(
  dir: string,
  outDir: string | undefined,
  values: Record<string, string | boolean | undefined>,
): Promise<void> {
  const s = await runProject({ dir, outDir, ...projectOptions(values) });
  process.stderr.write(
    `earshot project: ${s.points} points (${s.granularity}) from ${s.done} files (${s.failed} failed) in ${s.wallSec.toFixed(1)} s → ${s.manifestPath}\n`,
  );
}

export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(`${USAGE}\n`);
    return command === undefined ? 2 : 0;
  }
  try {
    if (command === 'embed') {
      const { values, positionals } = parseArgs({
        args: [...rest],
        allowPositionals: true,
        options: {
          out: { type: 'string', short: 'o' },
          model: { type: 'string', short: 'm' },
          shard: { type: 'string' },
          workers: { type: 'string' },
          threads: { type: 'string' },
          batch: { type: 'string' },
          'retry-failed': { type: 'boolean' },
          'no-project': { type: 'boolean' },
          project: { type: 'boolean' },
          json: { type: 'boolean' },
          ...PROJECT_FLAGS,
        },
      });
      if (positionals.length === 0) throw new UsageError('earshot embed: give files, folders or globs to embed');
      if (values.out === undefined) throw new UsageError('earshot embed: --out <dir> is required');
      const shard: ShardSpec | null = values.shard === undefined ? null : parseShard(values.shard);
      const outDir = values.out.replaceAll('{shard}', String(shard?.index ?? 0));
      const pOptions = projectOptions(values);
      // Ctrl-C, or SIGTERM from Kubernetes/SLURM pre-emption: every finished file is already on disk.
      for (const [signal, code] of [
        ['SIGINT', 130],
        ['SIGTERM', 143],
      ] as const) {
        process.once(signal, () => {
          process.stderr.write(
            `\nearshot embed: ${signal}: finished files are kept in ${outDir}/parts; run the same command again to continue\n`,
          );
          process.exit(code);
        });
      }
      const summary = await runEmbed({
        inputs: positionals,
        outDir,
        model: values.model ?? defaultModel(),
        shard,
        workers: intOption(values.workers, 'workers', 0),
        threads: intOption(values.threads, 'threads', 1),
        batchPatches: intOption(values.batch, 'batch', 1),
        retryFailed: values['retry-failed'] === true,
        progress: values.quiet !== true,
      });
      const rt = summary.wallSec > 0 ? summary.audioSec / summary.wallSec : 0;
      process.stderr.write(
        `earshot embed: ${summary.done} mapped, ${summary.failed} failed, ${summary.reused} reused from an earlier run` +
          `${summary.skipped.length > 0 ? `, ${summary.skipped.length} entries skipped (${summary.skippedNonAudio.length} not audio; the others listed above)` : ''}; ` +
          `${(summary.audioSec / 60).toFixed(1)} min of new audio in ${summary.wallSec.toFixed(1)} s (${rt.toFixed(0)}× real time, ` +
          `${summary.workers} feature threads + ${summary.threads} inference) → ${outDir}\n`,
      );
      if (summary.failures.length > 0) {
        process.stderr.write(`files that could not be mapped (${summary.failures.length}):\n`);
        for (const f of summary.failures) process.stderr.write(`  ${f.path}: ${f.message}\n`);
      }
      if (values.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
      const wantProject =
        values['no-project'] === true ? false : values.project === true || shard === null || shard.count === 1;
      if (wantProject && summary.done > 0) {
        const s = await runProject({ dir: outDir, ...pOptions });
        process.stderr.write(
          `earshot project: ${s.points} points (${s.granularity}) in ${s.wallSec.toFixed(1)} s → ${s.manifestPath}\n`,
        );
      }
      return 0;
    }
    if (command === 'merge') {
      const { values, positionals } = parseArgs({
        args: [...rest],
        allowPositionals: true,
        options: { out: { type: 'string', short: 'o' }, project: { type: 'boolean' }, ...PROJECT_FLAGS },
      });
      if (values.out === undefined) throw new UsageError('earshot merge: --out <dir> is required');
      const s = await runMerge(positionals, values.out);
      process.stderr.write(
        `earshot merge: ${s.parts} files (${s.done} mapped, ${s.failed} failed) from ${s.shards} folders` +
          `${s.duplicates > 0 ? `, ${s.duplicates} duplicates dropped` : ''} → ${values.out}\n`,
      );
      if (values.project) await project(values.out, undefined, values);
      return 0;
    }
    if (command === 'project') {
      const { values, positionals } = parseArgs({
        args: [...rest],
        allowPositionals: true,
        options: { out: { type: 'string', short: 'o' }, ...PROJECT_FLAGS },
      });
      if (positionals.length !== 1) throw new UsageError('earshot project: give one folder (an embed or merge output)');
      await project(positionals[0]!, values.out, values);
      return 0;
    }
    if (command === 'verify') {
      const { values, positionals } = parseArgs({
        args: [...rest],
        allowPositionals: true,
        options: { 'audio-root': { type: 'string' } },
      });
      if (positionals.length !== 1) throw new UsageError('earshot verify: give one dataset folder');
      const r = await verifyDataset(positionals[0]!, { audioRoot: values['audio-root'] });
      for (const p of r.problems) process.stderr.write(`problem: ${p}\n`);
      const d = r.dataset;
      process.stderr.write(
        r.ok && d
          ? `earshot verify: ok — ${d.manifest.pointCount} points, ${d.manifest.fileCount} files, ${r.checked.blobs} blobs (SHA-256), ${r.checked.spritePages} sprite pages, ${r.checked.audioFiles} audio files\n`
          : `earshot verify: ${r.problems.length} problem(s)\n`,
      );
      return r.ok ? 0 : 1;
    }
    throw new UsageError(`unknown command "${command}" (embed, merge, project, verify, help)`);
  } catch (err) {
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`${errorMessage(err)}\n(earshot help for usage)\n`);
      return 2;
    }
    process.stderr.write(`earshot: ${errorMessage(err)}\n`);
    return 1;
  }
}

// Run when executed directly (bin/earshot.mjs imports this file and calls main itself).
if (import.meta.url === `file://${process.argv[1]}`) {
  void main(process.argv.slice(2)).then((code) => process.exit(code));
}
