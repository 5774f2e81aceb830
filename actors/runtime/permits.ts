/**
 * A counting semaphore. The drain loops of a process share one sized below the database
 * pool: a batch holds a connection for its transaction and needs a second, briefly, to record
 * its turn claim (see `claimAndLoad`), so at least one connection must stay out of the
 * batches' hands or every batch could wait on the pool for ever.
 *
 * @module
 */

/** Permits handed out first come, first served. */
export class Permits {
  #free: number;
  #waiting: Array<() => void> = [];

  constructor(count: number) {
    this.#free = Math.max(1, count);
  }

  /** Runs `fn` holding a permit. */
  async with<T>(fn: () => Promise<T>): Promise<T> {
    if (this.#free > 0) this.#free--;
    else await new Promise<void>((resolve) => this.#waiting.push(resolve));
    try {
      return await fn();
    } finally {
      const next = this.#waiting.shift();
      if (next) next();
      else this.#free++;
    }
  }
}
