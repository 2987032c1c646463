// Turns drops and pickers into a flat list of audio files with relative paths; walks folders recursively.
import type { InputFile } from '../app/pipeline.ts';

const AUDIO_EXT = /\.(wav|wave|bwf|flac|mp3|ogg|oga|opus|m4a|mp4|aac|webm|aif|aiff|aifc|caf)$/i;

export interface Collected {
  files: InputFile[];
  /** Non-audio files that were passed over (e.g. a labels.csv beside the audio). */
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

export function collectFromList(list: FileList | File[]): Collected {
  const files: InputFile[] = [];
  const skipped: string[] = [];
  for (const file of Array.from(list)) {
    const path = (file as File & { webkitRelativePath?: string }).webkitRelativePath || file.name;
    if (file.name.startsWith('.')) continue;
    if (isAudioName(file.name, file.type)) files.push({ file, path });
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
  const handleAsks = Array.from(dt.items).flatMap((item) => (item.kind === 'file' && (item as HandleItem).getAsFileSystemHandle ? [(item as HandleItem).getAsFileSystemHandle!()] : []));
  const handles = handleAsks.length > 0 ? Promise.all(handleAsks).then((hs) => hs.filter((h): h is FileSystemHandle => h !== null)) : undefined;
  handles?.catch(() => undefined);
  const entries = Array.from(dt.items)
    .map((item) => (item.kind === 'file' ? item.webkitGetAsEntry() : null))
    .filter((e): e is FileSystemEntry => e !== null);
  if (entries.length === 0) return { ...collectFromList(dt.files), ...(handles ? { handles } : {}) };
  const files: InputFile[] = [];
  const skipped: string[] = [];
  const walk = async (entry: FileSystemEntry, prefix: string): Promise<void> => {
    if (entry.name.startsWith('.')) return;
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
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
    if (h.name.startsWith('.')) continue;
    const path = `${prefix}/${h.name}`;
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
