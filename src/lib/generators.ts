// Helpers for the step-wise (generator) forms of long computations; pure, no DOM, no I/O.

/** Runs a progress-yielding generator to the end and returns its result (the synchronous form). */
export function drain<R>(steps: Generator<unknown, R, void>): R {
  for (;;) {
    const next = steps.next();
    if (next.done === true) return next.value;
  }
}
