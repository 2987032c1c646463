// The example map as dropped files: the synthetic field collection of dsp/exampleSounds.ts as WAV Files in labelled
// folders, so it goes through the same intake, decode, features, embedding and layout as a person's own folder.
import { exampleClips, exampleWav } from './exampleSounds.ts';
import type { Collected } from './collectFiles.ts';

/** Clips per kind in the example (5 kinds). */
export const EXAMPLE_PER_KIND = 8;

export function exampleCollection(): Collected {
  const files = exampleClips(EXAMPLE_PER_KIND).map((clip) => {
    const name = clip.path.slice(clip.path.lastIndexOf('/') + 1);
    const bytes = exampleWav(clip);
    return { file: new File([bytes as Uint8Array<ArrayBuffer>], name, { type: 'audio/wav' }), path: clip.path };
  });
  return { files, skipped: [] };
}
