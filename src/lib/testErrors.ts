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
