// Typed errors with string codes; pure (no DOM), safe to send across worker boundaries as plain data.

export type ErrorCode =
  | 'E_DECODE'
  | 'E_EMPTY_AUDIO'
  | 'E_UNSUPPORTED'
  | 'E_TOO_LARGE'
  | 'E_MODEL_LOAD'
  | 'E_MODEL_FORMAT'
  | 'E_MODEL_MANIFEST'
  | 'E_MODEL_SHAPE'
  | 'E_MODEL_OPERATOR'
  | 'E_MODEL_CHECKSUM'
  | 'E_MODEL_FETCH'
  | 'E_BACKEND_LOST'
  | 'E_INFERENCE'
  | 'E_WORKER_CRASHED'
  | 'E_TIMEOUT'
  | 'E_ABORTED'
  | 'E_FEATURES'
  | 'E_INTERNAL'
  | 'E_DATASET_VERSION'
  | 'E_DATASET_TRUNCATED'
  | 'E_DATASET_INVALID'
  | 'E_DATASET_CHECKSUM'
  | 'E_NOT_A_DATASET'
  | 'E_UNSAFE_URL'
  | 'E_SHARE_LINK'
  /** A server answered with an HTTP error status (the message names it). */
  | 'E_HTTP'
  /** A cross-origin fetch failed: CORS refused it or the host could not be reached (browsers report both alike). */
  | 'E_CORS'
  | 'E_NETWORK'
  /** A dataset needed a file from an origin the person did not agree to (or declined); nothing more was read from it. */
  | 'E_ORIGIN_REFUSED'
  /** A server stopped answering: no response, or almost no bytes, for the stall timeout (the message names the URL). */
  | 'E_STALLED'
  /** A saved map in the browser's storage is damaged or from a newer build (the message names the field). */
  | 'E_SAVED_MAP';

export class EarshotError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = code === 'E_ABORTED' ? 'AbortError' : 'EarshotError';
    this.code = code;
  }
}

/** Plain-data form of an error, for postMessage. */
export interface SerializedError {
  name: string;
  code: ErrorCode;
  message: string;
}

export function serializeError(err: unknown): SerializedError {
  if (err instanceof EarshotError) return { name: err.name, code: err.code, message: err.message };
  if (err instanceof Error) {
    const aborted = err.name === 'AbortError';
    return { name: err.name, code: aborted ? 'E_ABORTED' : 'E_INTERNAL', message: err.message };
  }
  return { name: 'Error', code: 'E_INTERNAL', message: String(err) };
}

export function deserializeError(e: SerializedError): EarshotError {
  return new EarshotError(e.code, e.message);
}

export function isAbortError(err: unknown): boolean {
  return (
    err instanceof Error && (err.name === 'AbortError' || (err instanceof EarshotError && err.code === 'E_ABORTED'))
  );
}

export function abortError(message = 'cancelled'): EarshotError {
  return new EarshotError('E_ABORTED', message);
}

/** Human text for any thrown value. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
