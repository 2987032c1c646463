// Drop target and pickers for files and folders. UI only: hands the collected files to a callback.
import { useEffect, useRef, useState, type DragEvent } from 'react';
import {
  canPickDirectoryHandle,
  collectFromDirectoryPicker,
  collectFromDrop,
  collectFromList,
  type Collected,
} from '../intake/collectFiles.ts';
import { EXAMPLE_PER_KIND, exampleCollection } from '../intake/exampleFiles.ts';

export function DropZone({ onFiles, compact }: { onFiles: (c: Collected) => void; compact: boolean }) {
  const [over, setOver] = useState(false);
  const filesInput = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);

  const onDrop = async (ev: DragEvent) => {
    ev.preventDefault();
    setOver(false);
    onFiles(await collectFromDrop(ev.dataTransfer));
  };

  return (
    <div
      className={`dropzone${over ? ' over' : ''}${compact ? ' compact' : ''}`}
      data-testid="dropzone"
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => void onDrop(e)}
    >
      {!compact && <p className="drop-title">Drop a folder of recordings or a few audio files here</p>}
      <p className="drop-sub">
        WAV, FLAC, MP3, OGG/Opus, AAC/M4A · any sample rate and channel count{' '}
        <button type="button" onClick={() => filesInput.current?.click()}>
          Pick files
        </button>{' '}
        <button
          type="button"
          onClick={() => {
            // Where the browser has it, the directory picker gives a handle that is kept: after a reload, access can be re-granted.
            if (!canPickDirectoryHandle()) folderInput.current?.click();
            else
              collectFromDirectoryPicker().then(onFiles, (err: unknown) => {
                if (!(err instanceof DOMException && err.name === 'AbortError')) folderInput.current?.click();
              });
          }}
        >
          Pick a folder
        </button>
      </p>
      {!compact && (
        <p className="drop-example">
          No recordings at hand?{' '}
          <button
            type="button"
            data-testid="try-example"
            title={`${EXAMPLE_PER_KIND * 5} short synthetic field sounds, made in this page: crickets, songbird, frog, rain, whale`}
            onClick={() => onFiles(exampleCollection())}
          >
            Try an example
          </button>
        </p>
      )}
      <input
        ref={filesInput}
        data-testid="file-input"
        type="file"
        multiple
        accept="audio/*,.wav,.flac,.mp3,.ogg,.opus,.m4a,.aac"
        hidden
        onChange={(e) => e.target.files && onFiles(collectFromList(e.target.files))}
      />
      <input
        ref={folderInput}
        data-testid="folder-input"
        type="file"
        hidden
        // Non-standard attribute; React passes it through to the DOM.
        {...({ webkitdirectory: '' } as Record<string, string>)}
        onChange={(e) => e.target.files && onFiles(collectFromList(e.target.files))}
      />
    </div>
  );
}

/** Does this drag carry files (not text or a link dragged from the page)? */
const carriesFiles = (dt: DataTransfer | null): boolean => dt !== null && Array.from(dt.types).includes('Files');

/**
 * The whole window accepts a drop of files, not only the drop zone: a file let go over the map (or anywhere else)
 * would otherwise make the browser open it and take the person out of the app. Targets with their own drop handling
 * (the drop zone, the model panel) prevent the default first, and this leaves those drops to them. Returns whether
 * files are being dragged over the window, for a hint.
 */
export function useWindowDrop(onFiles: (c: Collected) => void): boolean {
  const [dragging, setDragging] = useState(false);
  useEffect(() => {
    let depth = 0;
    const over = (ev: globalThis.DragEvent) => {
      if (!carriesFiles(ev.dataTransfer)) return;
      ev.preventDefault();
      if (ev.dataTransfer) ev.dataTransfer.dropEffect = 'copy';
    };
    const enter = (ev: globalThis.DragEvent) => {
      if (!carriesFiles(ev.dataTransfer)) return;
      depth++;
      setDragging(true);
    };
    const leave = () => {
      depth = Math.max(0, depth - 1);
      if (depth === 0) setDragging(false);
    };
    const drop = (ev: globalThis.DragEvent) => {
      depth = 0;
      setDragging(false);
      if (ev.defaultPrevented || !carriesFiles(ev.dataTransfer) || !ev.dataTransfer) return;
      ev.preventDefault();
      void collectFromDrop(ev.dataTransfer).then(onFiles);
    };
    window.addEventListener('dragover', over);
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragleave', leave);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragover', over);
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('drop', drop);
    };
  }, [onFiles]);
  return dragging;
}
