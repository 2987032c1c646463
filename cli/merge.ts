// `earshot merge`: joins the parts of shard folders into one folder (hard links where possible), checking one model, no conflicting duplicates and which shards are there; no model, no audio, no layout.
import { copyFile, link, mkdir, readFile, rm } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { readJson, writeFileAtomic } from './fsUtil.ts';
import { lockFolder } from './lock.ts';
import { PARTS_DIR, RUN_INDEX_FILE, listPartFiles, readPartHeader, removeStaleTemps } from './part.ts';
import type { RunIndex } from './part.ts';

export interface MergeSummary {
  shards: number;
  parts: number;
  duplicates: number;
  done: number;
  failed: number;
  missingShards: number[];
  warnings: string[];
}

async function sameBytes(a: string, b: string): Promise<boolean> {
  const [x, y] = await Promise.all([readFile(a), readFile(b)]);
  return x.equals(y);
}

/** Links (or copies) every part of `shardDirs` into `outDir`/parts and writes a run index for the union. */
export async function runMerge(
  shardDirs: readonly string[],
  outDir: string,
  log: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
): Promise<MergeSummary> {
  if (shardDirs.length === 0) throw new Error('earshot merge: give the shard folders to join');
  const warnings: string[] = [];
  const warn = (w: string): void => {
    warnings.push(w);
    log(`warning: ${w}`);
  };
  await mkdir(join(outDir, PARTS_DIR), { recursive: true });
  const unlock = await lockFolder(outDir, 'earshot merge');
  try {
    return await mergeLocked(shardDirs, outDir, warn, warnings);
  } finally {
    await unlock();
  }
}

async function mergeLocked(
  shardDirs: readonly string[],
  outDir: string,
  warn: (w: string) => void,
  warnings: string[],
): Promise<MergeSummary> {
  await rm(join(outDir, RUN_INDEX_FILE), { force: true });
  await removeStaleTemps(outDir);
  let model: RunIndex['model'] | null = null;
  const shardsSeen: { index: number; count: number }[] = [];
  let duplicates = 0;
  let done = 0;
  let failed = 0;
  let parts = 0;
  let skippedNonAudio = 0;
  const byPath = new Map<string, string>();
  for (const dir of shardDirs) {
    if (resolve(dir) === resolve(outDir))
      throw new Error(`earshot merge: ${dir} is the output folder; merge into a new folder`);
    const index = (await readJson(join(dir, RUN_INDEX_FILE)).catch(() => null)) as RunIndex | null;
    if (!index) warn(`${dir} has no ${RUN_INDEX_FILE}: its embed run has not finished; merging the parts it has`);
    else {
      if (index.shard) shardsSeen.push(index.shard);
      if (index.merged) shardsSeen.push(...index.merged);
      skippedNonAudio = Math.max(skippedNonAudio, index.skippedNonAudio);
    }
    for (const file of await listPartFiles(dir)) {
      const header = await readPartHeader(file);
      if (!header) throw new Error(`${file} is not a readable part file`);
      const partModel = { id: header.model.id, sha256: header.model.sha256, dim: header.embeddingDim };
      if (model === null) model = partModel;
      else if (model.sha256 !== partModel.sha256)
        throw new Error(
          `${file} was made with model ${partModel.id} (${partModel.sha256.slice(0, 12)}…), the others with ${model.id} (${model.sha256.slice(0, 12)}…)`,
        );
      const target = join(outDir, PARTS_DIR, basename(file));
      const earlier = byPath.get(header.path);
      if (earlier !== undefined) {
        duplicates++;
        if (!(await sameBytes(earlier, file)))
          throw new Error(
            `${header.path} is in two shards with different results (${earlier}, ${file}); was it changed between runs?`,
          );
        continue;
      }
      byPath.set(header.path, file);
      await rm(target, { force: true });
      await link(file, target).catch(() => copyFile(file, target));
      parts++;
      if (header.status === 'done') done++;
      else failed++;
    }
  }
  if (model === null) throw new Error('earshot merge: the shard folders hold no parts');
  const counts = new Set(shardsSeen.map((s) => s.count));
  const missingShards: number[] = [];
  if (counts.size > 1) warn(`the shards were cut in different ways (n = ${[...counts].join(', ')})`);
  else if (counts.size === 1) {
    const n = [...counts][0]!;
    const have = new Set(shardsSeen.map((s) => s.index));
    for (let i = 0; i < n; i++) if (!have.has(i)) missingShards.push(i);
    if (missingShards.length > 0)
      warn(`shards ${missingShards.join(', ')} of ${n} are missing: the merged set is incomplete`);
  }
  const index: RunIndex = {
    format: 'earshot-shard',
    version: 1,
    model,
    shard: null,
    merged: shardsSeen.sort((a, b) => a.index - b.index),
    files: { assigned: parts, done, failed },
    skippedNonAudio,
  };
  await writeFileAtomic(join(outDir, RUN_INDEX_FILE), `${JSON.stringify(index, null, 1)}\n`);
  return { shards: shardDirs.length, parts, duplicates, done, failed, missingShards, warnings };
}
