// The many-small-files corpus shared by e2e/load-many-files.spec.ts and scripts/bench-load.ts: 16 kHz tones in five
// folders (the frequency tells folder and file apart), every 200th file a text file named .wav. Node only.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeWav } from '../../src/dsp/wav.ts';

export const LOAD_BROKEN_EVERY = 200;
export const LOAD_FOLDERS = ['birds', 'rain', 'engines', 'voices', 'insects'] as const;

/**
 * Writes `files` clips of `clipSec` seconds under `dir`. Returns the broken files as paths relative to `dir`
 * (folder/clip-NNNNN.wav) and the first `keepClips` good clips as absolute paths.
 */
export function writeLoadCorpus(
  dir: string,
  files: number,
  clipSec: number,
  keepClips = 0,
): { broken: string[]; clips: string[] } {
  const broken: string[] = [];
  const clips: string[] = [];
  const rateHz = 16000;
  for (let i = 0; i < files; i++) {
    const folderName = LOAD_FOLDERS[i % LOAD_FOLDERS.length]!;
    const folder = join(dir, folderName);
    if (i < LOAD_FOLDERS.length) mkdirSync(folder, { recursive: true });
    const fileName = `clip-${String(i).padStart(5, '0')}.wav`;
    const path = join(folder, fileName);
    if (i % LOAD_BROKEN_EVERY === LOAD_BROKEN_EVERY - 1) {
      writeFileSync(path, new TextEncoder().encode('RIFF not really a wave file'));
      broken.push(`${folderName}/${fileName}`);
      continue;
    }
    const s = new Float32Array(Math.round(rateHz * clipSec));
    const f = 200 + 150 * (i % LOAD_FOLDERS.length) + (i % 37);
    for (let k = 0; k < s.length; k++) s[k] = 0.3 * Math.sin((2 * Math.PI * f * k) / rateHz);
    writeFileSync(path, encodeWav([s], rateHz, 16));
    if (clips.length < keepClips) clips.push(path);
  }
  return { broken, clips };
}
