// WavByteSource over a file on disk (positional reads through a Node file handle), optionally a byte range of it; Node-only adapter, holds no audio beyond the block asked for.
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { EarshotError } from '../src/lib/errors.ts';
import type { WavByteSource } from '../src/dsp/wavStream.ts';
import { specialFileKind } from './fsUtil.ts';

export interface NodeFileSource extends WavByteSource {
  close(): Promise<void>;
}

/** Never blocks in open(): a FIFO opened plainly for reading waits for a writer forever (0 where the flag does not exist). */
export const OPEN_READ_NONBLOCKING = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/**
 * Opens `absPath` for positional reads; the caller must close() it. Only a regular file is read (a FIFO or a device is
 * refused, E_UNSUPPORTED). With `range`, the source is those bytes only (byteLength 0: to the end of the file).
 */
export async function openFileSource(
  absPath: string,
  range: { byteOffset: number; byteLength: number } | null = null,
): Promise<NodeFileSource> {
  const handle: FileHandle = await open(absPath, OPEN_READ_NONBLOCKING);
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw new EarshotError('E_UNSUPPORTED', `${specialFileKind(st)}, not a regular file`);
    const startBytes = Math.min(range?.byteOffset ?? 0, st.size);
    const endBytes = range && range.byteLength > 0 ? Math.min(st.size, startBytes + range.byteLength) : st.size;
    const sizeBytes = endBytes - startBytes;
    return {
      sizeBytes,
      async read(offsetBytes: number, lengthBytes: number): Promise<Uint8Array> {
        const n = Math.max(0, Math.min(lengthBytes, sizeBytes - offsetBytes));
        const buffer = new Uint8Array(n);
        let filled = 0;
        while (filled < n) {
          const { bytesRead } = await handle.read(buffer, filled, n - filled, startBytes + offsetBytes + filled);
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
