// Test helper: what a call threw, as "CODE: message" for EarshotErrors ("no error" when it returned); anything else is rethrown.
import { EarshotError } from './errors.ts';

export function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof EarshotError) return `${err.code}: ${err.message}`;
    throw err;
  }
  return 'no error';
}

/** How a promise settled: "ok", "CODE: message" for an EarshotError, or the text of anything else it rejected with. */
export async function settledCodeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (err) {
    return err instanceof EarshotError ? `${err.code}: ${err.message}` : String(err);
  }
}
