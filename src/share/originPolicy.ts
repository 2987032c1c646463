// Which origins an opened dataset may fetch from: the page's own, the ones the person agreed to, and new ones only after asking; pure (the asking is a callback), must not fetch or touch the DOM.
import { EarshotError } from '../lib/errors.ts';

/** Asks the person whether these origins may be read from; resolves true for yes. Rejects (abort) when the question is withdrawn. */
export type AskOrigins = (origins: readonly string[], why: string, signal: AbortSignal | undefined) => Promise<boolean>;

export interface OriginPolicyOptions {
  /** The page's address: its origin is always allowed, and relative URLs resolve against it. */
  pageHref: string;
  /** Origins already agreed to (the dataset URL's own, typed or confirmed). */
  agreed?: Iterable<string>;
  /** null: never ask, refuse every other origin. */
  ask: AskOrigins | null;
}

/** The origin of `url` ("https://host:port"), resolved against `base`; null when it does not parse or is not http(s). */
export function originOfUrl(url: string, base: string): string | null {
  try {
    const u = new URL(url, base);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin : null;
  } catch {
    return null;
  }
}

/**
 * The set of origins one opened dataset may touch. Every fetch of it (entry file, columns, audio, thumbnails, and
 * where a redirect ended up) goes through `ensure`, which asks once per new origin and remembers the answer.
 */
export class OriginPolicy {
  readonly pageOrigin: string;
  private readonly pageHref: string;
  private readonly agreed = new Set<string>();
  private readonly refused = new Set<string>();
  /** Questions in flight, per origin: a second fetch for the same origin waits on the same answer. */
  private readonly asking = new Map<string, Promise<boolean>>();
  private readonly ask: AskOrigins | null;

  constructor(options: OriginPolicyOptions) {
    this.pageHref = options.pageHref;
    this.pageOrigin = new URL(options.pageHref).origin;
    this.ask = options.ask;
    for (const o of options.agreed ?? []) this.agreed.add(o);
  }

  /** Origins agreed to so far (the page's own not included unless it was agreed explicitly). */
  agreedOrigins(): string[] {
    return [...this.agreed];
  }

  allowsOrigin(origin: string): boolean {
    return origin === this.pageOrigin || this.agreed.has(origin);
  }

  allows(url: string): boolean {
    const origin = originOfUrl(url, this.pageHref);
    return origin !== null && this.allowsOrigin(origin);
  }

  /** Distinct origins of `urls` not allowed yet, in first-seen order ("" URLs skipped; unparsable ones as the URL). */
  unapproved(urls: Iterable<string>): string[] {
    const out = new Set<string>();
    for (const url of urls) {
      if (url === '') continue;
      const origin = originOfUrl(url, this.pageHref) ?? url;
      if (!this.allowsOrigin(origin)) out.add(origin);
    }
    return [...out];
  }

  /**
   * Resolves when every URL's origin is allowed, asking (once, for all new ones) when needed. Throws E_ORIGIN_REFUSED
   * naming the origin when the person declines (now or earlier) or no one can be asked; an abort passes through.
   * `why` says what needs them ("the dataset's audio files", "the dataset file redirected to https://b/x.json").
   */
  async ensure(urls: Iterable<string>, why: string, signal?: AbortSignal): Promise<void> {
    const needed = this.unapproved(urls);
    if (needed.length === 0) return;
    const refuse = (origin: string, declined: boolean): never => {
      const because = declined
        ? 'you declined that site for this dataset'
        : 'it is not a site you agreed to for this dataset';
      throw new EarshotError(
        'E_ORIGIN_REFUSED',
        `Refused ${origin} (${why}): ${because}, so nothing was read from it.`,
      );
    };
    for (const o of needed) if (this.refused.has(o)) refuse(o, true);
    const fresh = needed.filter((o) => !this.asking.has(o));
    if (fresh.length > 0) {
      const ask = this.ask;
      if (ask === null) return refuse(fresh[0]!, false);
      const answer = ask(fresh, why, signal);
      for (const o of fresh) this.asking.set(o, answer);
      void answer
        .then(
          (yes) => {
            for (const o of fresh) (yes ? this.agreed : this.refused).add(o);
          },
          () => undefined,
        )
        .finally(() => {
          for (const o of fresh) if (this.asking.get(o) === answer) this.asking.delete(o);
        });
    }
    for (const o of needed) {
      const pending = this.asking.get(o);
      const yes = pending ? await pending : this.agreed.has(o);
      if (!yes) refuse(o, true);
    }
  }
}
