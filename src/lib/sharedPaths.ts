// Where ../shared lives for Node-side tests and scripts (never imported by browser code).
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/** Root of the read-only shared folder: $EARSHOT_SHARED_DIR, else ../shared beside the repo. */
export function sharedDir(): string {
  return resolve(process.env['EARSHOT_SHARED_DIR'] ?? resolve(import.meta.dirname, '../../../shared'));
}

export function yamnetDir(): string {
  return resolve(sharedDir(), 'models/yamnet');
}

export function hasShared(): boolean {
  return existsSync(resolve(yamnetDir(), 'yamnet.onnx'));
}

export function efficientAtDir(): string {
  return resolve(sharedDir(), 'models/efficientat-mn04');
}

export function hasEfficientAt(): boolean {
  return existsSync(resolve(efficientAtDir(), 'mn04_as.onnx'));
}
