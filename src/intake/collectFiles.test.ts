// The app's drop and picker walks on dot-named entries: real audio whose name starts with "." is mapped; .DS_Store, "._" resource forks and hidden folders are listed as skipped with the reason, never dropped silently.
import { describe, expect, it } from 'vitest';
import { collectFromDrop, collectFromHandle, collectFromList } from './collectFiles.ts';
import type { Collected } from './collectFiles.ts';

const file = (name: string, relativePath = ''): File => {
  const f = new File([new Uint8Array(4)], name);
  if (relativePath !== '') Object.defineProperty(f, 'webkitRelativePath', { value: relativePath });
  return f;
};

/** A folder tree as File System Access handles: names ending in "/" are folders. */
type Tree = { [name: string]: Tree | null };
function dirHandle(name: string, tree: Tree): FileSystemDirectoryHandle {
  const children = Object.entries(tree).map(([n, sub]) =>
    sub === null ? { kind: 'file', name: n, getFile: () => Promise.resolve(file(n)) } : dirHandle(n, sub),
  );
  return {
    kind: 'directory',
    name,
    async *values() {
      yield* children;
    },
  } as unknown as FileSystemDirectoryHandle;
}

/** The same tree as drag-and-drop entries (webkitGetAsEntry). */
function entry(name: string, sub: Tree | null): FileSystemEntry {
  if (sub === null)
    return {
      name,
      isFile: true,
      isDirectory: false,
      file: (ok: (f: File) => void) => ok(file(name)),
    } as unknown as FileSystemEntry;
  const kids = Object.entries(sub).map(([n, s]) => entry(n, s));
  return {
    name,
    isFile: false,
    isDirectory: true,
    createReader: () => {
      let given = false;
      return { readEntries: (ok: (batch: FileSystemEntry[]) => void) => ok(given ? [] : ((given = true), kids)) };
    },
  } as unknown as FileSystemEntry;
}

const TREE: Tree = {
  'ok.wav': null,
  '.take2.wav': null,
  '._ok.wav': null,
  '.DS_Store': null,
  'labels.csv': null,
  '.git': { 'hook.wav': null },
  sub: { '.quiet.flac': null, '._quiet.flac': null },
};

const expectDotRules = (c: Collected, root: string): void => {
  expect(c.files.map((f) => f.path).sort()).toEqual([
    `${root}/.take2.wav`,
    `${root}/ok.wav`,
    `${root}/sub/.quiet.flac`,
  ]);
  expect(c.skipped.sort()).toEqual([
    `${root}/.DS_Store (macOS Finder folder settings (.DS_Store), not audio)`,
    `${root}/._ok.wav (a macOS resource fork (AppleDouble "._" file), not audio)`,
    `${root}/.git (a hidden folder (its name starts with "."): not read)`,
    `${root}/labels.csv`,
    `${root}/sub/._quiet.flac (a macOS resource fork (AppleDouble "._" file), not audio)`,
  ]);
};

describe('dot-named entries', () => {
  it('a folder handle (Pick a folder, re-grant): dot-named audio mapped, clutter listed with the reason', async () => {
    const out: Collected = { files: [], skipped: [] };
    await collectFromHandle(dirHandle('rec', TREE), 'rec', out);
    expectDotRules(out, 'rec');
  });

  it('a dropped folder (webkitGetAsEntry)', async () => {
    const dt = {
      items: [{ kind: 'file', webkitGetAsEntry: () => entry('rec', TREE) }],
      files: [],
    } as unknown as DataTransfer;
    expectDotRules(await collectFromDrop(dt), 'rec');
  });

  it('a picked folder (webkitRelativePath list): files in hidden folders are listed once, by folder', () => {
    const list = [
      'ok.wav',
      '.take2.wav',
      '._ok.wav',
      '.DS_Store',
      'labels.csv',
      '.git/hook.wav',
      '.git/more.wav',
      'sub/.quiet.flac',
      'sub/._quiet.flac',
    ].map((p) => file(p.slice(p.lastIndexOf('/') + 1), `rec/${p}`));
    expectDotRules(collectFromList(list), 'rec');
  });

  it('picked files are taken by name as given, a dot-named recording included', () => {
    const c = collectFromList([file('.take2.wav'), file('x.wav')]);
    expect(c.files.map((f) => f.path)).toEqual(['.take2.wav', 'x.wav']);
    expect(c.skipped).toEqual([]);
  });
});
