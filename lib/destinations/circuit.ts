/**
 * A per-instance circuit breaker: after `failures` consecutive retryable failures it opens, and every call fails fast
 * without a request for `coolDownMs`; then one call at a time tries the endpoint (half-open): a success closes it,
 * a failure opens it again. So a dead endpoint costs one request per cool-down, not one per event.
 */
export class CircuitBreaker {
  #consecutive = 0;
  #openedAt: number | undefined;
  #trial = false;

  constructor(
    readonly failures: number,
    readonly coolDownMs: number,
    readonly now: () => number = Date.now,
  ) {}

  /** Whether a request may go now; a half-open circuit lets one through and holds the others until it settles. */
  tryAcquire(): boolean {
    if (this.#openedAt === undefined) return true;
    if (this.#trial || this.now() - this.#openedAt < this.coolDownMs) return false;
    this.#trial = true;
    return true;
  }

  /** When an open circuit lets a request try again (ms since the epoch); undefined when closed. */
  retryAt(): number | undefined {
    return this.#openedAt === undefined ? undefined : this.#openedAt + this.coolDownMs;
  }

  /** The endpoint answered (2xx, or a permanent 4xx: it is up). */
  succeeded(): void {
    this.#consecutive = 0;
    this.#openedAt = undefined;
    this.#trial = false;
  }

  /** A try that says nothing of the endpoint (the address policy refused it): a trial may go again. */
  abandoned(): void {
    this.#trial = false;
  }

  /** A retryable failure: counts toward opening; a failed trial opens it again. */
  failed(): void {
    this.#consecutive++;
    if (this.#trial || this.#consecutive >= this.failures) this.#openedAt = this.now();
    this.#trial = false;
  }

  get state(): 'closed' | 'open' | 'half-open' {
    if (this.#openedAt === undefined) return 'closed';
    return this.#trial || this.now() - this.#openedAt >= this.coolDownMs ? 'half-open' : 'open';
  }
}
