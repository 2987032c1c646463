// Getting model bytes safely, in the page and in the embed worker: fetch with a size cap and clear HTTP/CORS errors, and "is this ONNX at all" with a message naming what the file looks like. No DOM.
import { EarshotError, errorMessage } from '../lib/errors.ts';
import { OnnxReadError, readOnnxModel, sniffModelFormat, type OnnxModelInfo } from './onnx/onnxReader.ts';

/** Largest model file Earshot reads (bytes). */
export const MAX_MODEL_BYTES = 1 << 30;

/** Fetches a model (or manifest) URL; `what` names it in errors. */
export async function fetchModelBytes(url: string, what: string): Promise<Uint8Array> {
  let res: Response;
  try {
    res = await fetch(url);
  } catch (err) {
    throw new EarshotError(
      'E_MODEL_FETCH',
      `${what}: could not fetch ${url} (${errorMessage(err)}). A server on another origin must send CORS and Cross-Origin-Resource-Policy headers.`,
    );
  }
  if (!res.ok)
    throw new EarshotError(
      'E_MODEL_FETCH',
      `${what}: HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''} for ${url}`,
    );
  const length = Number(res.headers.get('Content-Length') ?? 0);
  if (length > MAX_MODEL_BYTES)
    throw new EarshotError(
      'E_TOO_LARGE',
      `${what}: ${length} bytes is larger than the ${MAX_MODEL_BYTES >> 20} MB limit`,
    );
  const bytes = new Uint8Array(await res.arrayBuffer());
  if (bytes.length > MAX_MODEL_BYTES)
    throw new EarshotError('E_TOO_LARGE', `${what}: larger than the ${MAX_MODEL_BYTES >> 20} MB limit`);
  return bytes;
}

const LOOKS_LIKE: Record<string, string> = {
  tflite: 'a TFLite model (drop it as .tflite to convert YAMNet)',
  json: 'JSON (a manifest needs its .onnx beside it, or a "source" URL)',
  wav: 'WAV audio',
  zip: 'a zip archive',
  html: 'an HTML page (a wrong URL?)',
  text: 'text',
};

/** The model's interface, or E_MODEL_FORMAT: "<name> is not an ONNX model: it looks like …". */
export function readOnnxOrExplain(bytes: Uint8Array, name: string): OnnxModelInfo {
  try {
    return readOnnxModel(bytes);
  } catch (err) {
    if (!(err instanceof OnnxReadError)) throw err;
    const kind = sniffModelFormat(bytes);
    throw new EarshotError(
      'E_MODEL_FORMAT',
      `${name} is not an ONNX model${kind ? `: it looks like ${LOOKS_LIKE[kind] ?? kind}` : ` (${errorMessage(err)})`}`,
    );
  }
}
