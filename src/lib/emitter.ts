// A typed event emitter for a union of `{ type: … }` events. A listener that throws is reported and the others still
// run: one subscriber (the saver, a view) must never break the work that emits.

type Listener<E> = (event: E) => void;

export class Emitter<E extends { type: string }> {
  private readonly listeners = new Map<E['type'], Set<Listener<never>>>();
  private closed = false;

  /** Listens for one type of event; returns the function that stops listening. */
  on<T extends E['type']>(type: T, listener: Listener<Extract<E, { type: T }>>): () => void {
    const set = this.listeners.get(type) ?? new Set();
    set.add(listener as Listener<never>);
    this.listeners.set(type, set);
    return () => set.delete(listener as Listener<never>);
  }

  emit(event: E): void {
    if (this.closed) return;
    for (const listener of [...(this.listeners.get(event.type as E['type']) ?? [])]) {
      try {
        (listener as Listener<E>)(event);
      } catch (err) {
        console.error(`a listener of ${event.type} failed`, err);
      }
    }
  }

  /** No event reaches anyone after this (a newer run replaced this one). */
  close(): void {
    this.closed = true;
    this.listeners.clear();
  }

  get isClosed(): boolean {
    return this.closed;
  }
}
