// Turns drops and pickers into a flat list of audio files with relative paths; walks folders recursively, and lists every entry it passes over (with the reason when it is not just a non-audio name).
import { systemNameSkip } from '../lib/systemNames.ts';

const AUDIO_EXT = /\.(wav|wave|bwf|flac|mp3|ogg|oga|opus|m4a|mp4|aac|webm|aif|aiff|aifc|caf)$/i;

/** One dropped or picked audio file, with its path relative to what was dropped. */
export interface InputFile {
  file: File;
  /** Path relative to what was dropped, e.g. "insects/audio/1-100-A-0.wav". */
  path: string;
}

export interface Collected {
  files: InputFile[];
  /**
   * Entries that were passed over: non-audio files by path (e.g. a labels.csv beside the audio), system clutter and
   * hidden folders as "path (reason)" (.DS_Store, "._" resource forks, .git). Dot-named audio is mapped like any file.
   */
  skipped: string[];
  /** FileSystemHandles of what was dropped, where the browser gives them (kept so access can be re-granted later). */
  handles?: Promise<FileSystemHandle[]>;
}

export function isAudioName(name: string, mime = ''): boolean {
  return AUDIO_EXT.test(name) || mime.startsWith('audio/');
}

function sortByPath(files: InputFile[]): InputFile[] {
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** "path (reason)" for an entry found inside a folder that is skipped by its name, else null. */
function systemSkip(path: string, name: string, isFolder: boolean): string | null {
  const skip = systemNameSkip(name, isFolder);
  return skip ? `${path} (${skip.reason})` : null;
}

export function collectFromList(list: FileList | File[]): Collected {
  const files: InputFile[] = [];
  const skipped: string[] = [];
  const hiddenFolders = new Set<string>();
  for (const file of Array.from(list)) {
    const path = (file as File & { webkitRelativePath?: string }).webkitRelativePath || file.name;
    // A picked folder's list is flat: the first part is the folder picked, the parts after it were found inside.
    const parts = path.split('/');
    const hidden = parts.slice(1, -1).findIndex((p) => systemNameSkip(p, true) !== null);
    if (hidden >= 0) {
      const folder = parts.slice(0, hidden + 2).join('/');
      if (!hiddenFolders.has(folder)) skipped.push(systemSkip(folder, parts[hidden + 1]!, true)!);
      hiddenFolders.add(folder);
      continue;
    }
    const system = parts.length > 1 ? systemSkip(path, file.name, false) : null;
    if (system !== null) skipped.push(system);
    else if (isAudioName(file.name, file.type)) files.push({ file, path });
    else skipped.push(path);
  }
  return { files: sortByPath(files), skipped };
}

function readAllEntries(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  // readEntries returns at most ~100 entries per call; keep reading until it returns none.
  return new Promise((resolve, reject) => {
    const all: FileSystemEntry[] = [];
    const next = () =>
      reader.readEntries((batch) => {
        if (batch.length === 0) resolve(all);
        else {
          all.push(...batch);
          next();
        }
      }, reject);
    next();
  });
}

function entryFile(entry: FileSystemFileEntry): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

type HandleItem = DataTransferItem & { getAsFileSystemHandle?(): Promise<FileSystemHandle | null> };

export async function collectFromDrop(dt: DataTransfer): Promise<Collected> {
  // Handles must be asked for before the first await: the DataTransfer is emptied when the drop event returns.
  const handleAsks = Array.from(dt.items).flatMap((item) =>
    item.kind === 'file' && (item as HandleItem).getAsFileSystemHandle
      ? [(item as HandleItem).getAsFileSystemHandle!()]
      : [],
  );
  const handles =
    handleAsks.length > 0
      ? Promise.all(handleAsks).then((hs) => hs.filter((h): h is FileSystemHandle => h !== null))
      : undefined;
  handles?.catch(() => undefined);
  const entries = Array.from(dt.items)
    .map((item) => (item.kind === 'file' ? item.webkitGetAsEntry() : null))
    .filter((e): e is FileSystemEntry => e !== null);
  if (entries.length === 0) return { ...collectFromList(dt.files), ...(handles ? { handles } : {}) };
  const files: InputFile[] = [];
  const skipped: string[] = [];
  const walk = async (entry: FileSystemEntry, prefix: string): Promise<void> => {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    // What was dropped is taken as dropped; inside a folder, clutter and hidden folders are listed, not read.
    const system = prefix ? systemSkip(path, entry.name, entry.isDirectory) : null;
    if (system !== null) {
      skipped.push(system);
      return;
    }
    if (entry.isDirectory) {
      const children = await readAllEntries((entry as FileSystemDirectoryEntry).createReader());
      for (const child of children) await walk(child, path);
    } else if (entry.isFile) {
      const file = await entryFile(entry as FileSystemFileEntry);
      if (isAudioName(file.name, file.type)) files.push({ file, path });
      else skipped.push(path);
    }
  };
  for (const e of entries) await walk(e, '');
  return { files: sortByPath(files), skipped, ...(handles ? { handles } : {}) };
}

/** Walks a directory handle (File System Access API): audio files with paths under `prefix`, the rest skipped. */
export async function collectFromHandle(dir: FileSystemDirectoryHandle, prefix: string, out: Collected): Promise<void> {
  for await (const h of (dir as unknown as { values(): AsyncIterable<FileSystemHandle> }).values()) {
    const path = `${prefix}/${h.name}`;
    const system = systemSkip(path, h.name, h.kind === 'directory');
    if (system !== null) {
      out.skipped.push(system);
      continue;
    }
    if (h.kind === 'directory') await collectFromHandle(h as FileSystemDirectoryHandle, path, out);
    else {
      const file = await (h as FileSystemFileHandle).getFile();
      if (isAudioName(file.name, file.type)) out.files.push({ file, path });
      else out.skipped.push(path);
    }
  }
}

type PickerWindow = { showDirectoryPicker?(o: { mode: 'read' }): Promise<FileSystemDirectoryHandle> };

export function canPickDirectoryHandle(): boolean {
  return typeof (globalThis as PickerWindow).showDirectoryPicker === 'function';
}

/** "Pick a folder" where the browser has showDirectoryPicker: the folder's handle is kept, so access can be re-granted after a reload. */
export async function collectFromDirectoryPicker(): Promise<Collected> {
  const dir = await (globalThis as PickerWindow).showDirectoryPicker!({ mode: 'read' });
  const out: Collected = { files: [], skipped: [] };
  await collectFromHandle(dir, dir.name, out);
  return { files: sortByPath(out.files), skipped: out.skipped, handles: Promise.resolve([dir]) };
}
