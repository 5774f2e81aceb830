/**
 * A wake-up signal: `wait(ms)` resolves on the next `notify()` (or `notifyOne()` for one
 * waiter) or after `ms`, whichever comes first. A notify with nobody waiting is remembered
 * for the next wait.
 *
 * @module
 */
export class Signal {
  #pending = false;
  #waiters: Array<() => void> = [];
  #notified = 0;

  /**
   * How many notifications this signal has had: a loop compares it across a batch to learn
   * whether anything was sent to its kind meanwhile, whoever was woken by it.
   */
  get notified(): number {
    return this.#notified;
  }

  /** Wakes the current waiters (or the next one). */
  notify(): void {
    this.#notified++;
    const waiters = this.#waiters;
    this.#waiters = [];
    if (waiters.length === 0) this.#pending = true;
    for (const w of waiters) w();
  }

  /**
   * Wakes one waiter (or the next one): loops sharing a signal wake one at a time, so one
   * message does not send every idle loop to the database to find it taken.
   */
  notifyOne(): void {
    this.#notified++;
    const first = this.#waiters[0];
    if (first) first();
    else this.#pending = true;
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
