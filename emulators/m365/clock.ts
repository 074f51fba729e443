/**
 * Wall-clock time plus the emulator's time-scale factor. Durations that model Microsoft's
 * behaviour (throttling windows, code lifetimes, Retry-After) are multiplied by `timeScale`, so
 * a test with `timeScale: 0.01` sees a 10-minute window last 6 s. Timestamps stay real.
 */
export class Clock {
  constructor(public timeScale = 1, private readonly nowFn: () => number = Date.now) {}

  /** Milliseconds since the epoch, unscaled. */
  now(): number {
    return this.nowFn();
  }

  /** A Microsoft-side duration (in real milliseconds) as it elapses in this emulator. */
  scale(ms: number): number {
    return ms * this.timeScale;
  }
}
