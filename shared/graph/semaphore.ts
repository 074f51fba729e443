/** A counting semaphore: at most `limit` holders at once, waiters served in order. */
export class Semaphore {
  #active = 0;
  #waiters: Array<() => void> = [];

  constructor(readonly limit: number) {
    if (limit < 1) throw new RangeError("limit must be at least 1");
  }

  /** Holders right now. */
  get active(): number {
    return this.#active;
  }

  async acquire(): Promise<void> {
    if (this.#active < this.limit) {
      this.#active++;
      return;
    }
    await new Promise<void>((resolve) => this.#waiters.push(resolve));
  }

  release(): void {
    const next = this.#waiters.shift();
    if (next) next(); // the slot passes straight to the next waiter
    else this.#active--;
  }

  /** Runs `fn` holding one slot. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await fn();
    } finally {
      this.release();
    }
  }
}
