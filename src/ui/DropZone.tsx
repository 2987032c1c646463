// Drop target and pickers for files and folders. UI only: hands the collected files to a callback.
import { useRef, useState, type DragEvent } from 'react';
import {
  canPickDirectoryHandle,
  collectFromDirectoryPicker,
  collectFromDrop,
  collectFromList,
  type Collected,
} from '../intake/collectFiles.ts';

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
