// WavByteSource over a file on disk (positional reads through a Node file handle); Node-only adapter, holds no audio beyond the block asked for.
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import type { WavByteSource } from '../src/dsp/wavStream.ts';

export interface NodeFileSource extends WavByteSource {
  close(): Promise<void>;
}

/** Opens `absPath` for positional reads; the caller must close() it. */
export async function openFileSource(absPath: string): Promise<NodeFileSource> {
  const handle: FileHandle = await open(absPath, 'r');
  try {
    const sizeBytes = (await handle.stat()).size;
    return {
      sizeBytes,
      async read(offsetBytes: number, lengthBytes: number): Promise<Uint8Array> {
        const n = Math.max(0, Math.min(lengthBytes, sizeBytes - offsetBytes));
        const buffer = new Uint8Array(n);
        let filled = 0;
        while (filled < n) {
          const { bytesRead } = await handle.read(buffer, filled, n - filled, offsetBytes + filled);
          if (bytesRead === 0) break; // the file shrank under us: the reader reports the short block
          filled += bytesRead;
        }
        return filled === n ? buffer : buffer.subarray(0, filled);
      },
      close: () => handle.close(),
    };
  } catch (err) {
    await handle.close();
    throw err;
  }
}
