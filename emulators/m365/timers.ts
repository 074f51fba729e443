/**
 * Timers the emulator owns, so `stop()` can clear every one of them (Deno's test sanitizers
 * fail a test that leaks a timer). Sleeps resolve early when the emulator stops.
 */
export class Timers {
  #pending = new Map<ReturnType<typeof setTimeout>, () => void>();
  #stopped = false;

  /** Resolves after `ms` (or at once when stopped). */
  sleep(ms: number): Promise<void> {
    if (this.#stopped || ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const id = setTimeout(() => {
        this.#pending.delete(id);
        resolve();
      }, ms);
      this.#pending.set(id, resolve);
    });
  }

  /** Runs `fn` after `ms`, unless stopped first. */
  later(ms: number, fn: () => void): void {
    if (this.#stopped) return;
    const id = setTimeout(() => {
      this.#pending.delete(id);
      fn();
    }, Math.max(0, ms));
    this.#pending.set(id, () => {});
  }

  get stopped(): boolean {
    return this.#stopped;
  }

  stop(): void {
    this.#stopped = true;
    for (const [id, resolve] of this.#pending) {
      clearTimeout(id);
      resolve();
    }
    this.#pending.clear();
  }
}
