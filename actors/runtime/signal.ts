/**
 * A wake-up signal: `wait(ms)` resolves on a `notify()` or after `ms`, whichever comes first.
 * A notify wakes one waiter, so a burst of notifications spreads over idle loops instead of
 * waking them all into the same (mostly empty) drain; `notifyAll` is for stopping. A notify
 * with nobody waiting is remembered for the next wait.
 *
 * @module
 */
export class Signal {
  #pending = false;
  #waiters: Array<() => void> = [];

  /** Wakes one waiter (or the next one to wait). */
  notify(): void {
    const next = this.#waiters.shift();
    if (next) next();
    else this.#pending = true;
  }

  /** Wakes every waiter. */
  notifyAll(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    if (waiters.length === 0) this.#pending = true;
    for (const w of waiters) w();
  }

  /** Resolves on notify or after `ms`. */
  wait(ms: number): Promise<void> {
    if (this.#pending) {
      this.#pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#waiters = this.#waiters.filter((w) => w !== done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#waiters.push(done);
    });
  }
}
