import { setLogSink } from "../log/mod.ts";

/** Captures every log line written while `fn` runs (and still prints nothing). */
export async function captureLogs<T>(fn: () => Promise<T>): Promise<{ result: T; lines: string[] }> {
  const lines: string[] = [];
  const prev = setLogSink((l) => lines.push(l));
  try {
    return { result: await fn(), lines };
  } finally {
    setLogSink(prev);
  }
}
