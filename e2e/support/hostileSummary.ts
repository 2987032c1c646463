// Hostile-input specs record what they threw at the app and what survived, as small JSON files the `npm run test:hostile` figure adds up; Node only, never read by the app.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CSP_VIOLATION } from './app.ts';

export const HOSTILE_SUMMARY_DIR = join('test-results', 'hostile-summary');

export interface HostileCaseResult {
  id: string;
  /** Produced a clear message (or opened as it should) without a crash, hang, dialog or script run. */
  survived: boolean;
  /** What the app said, or why the case did not survive. */
  detail: string;
}

export interface HostileSummary {
  spec: string;
  cases: HostileCaseResult[];
  cspViolations: number;
  /** Good points that should be on the map and are not. */
  lostPoints: number;
}

export function countCspViolations(errors: readonly string[]): number {
  return errors.filter((e) => e.includes(CSP_VIOLATION) || /Content Security Policy/i.test(e)).length;
}

export function writeHostileSummary(summary: HostileSummary): void {
  mkdirSync(HOSTILE_SUMMARY_DIR, { recursive: true });
  writeFileSync(join(HOSTILE_SUMMARY_DIR, `${summary.spec}.json`), JSON.stringify(summary, null, 2));
}
