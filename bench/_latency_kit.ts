// What the latency benchmarks share: the same-run baselines every figure stands beside (a bare
// NATS request/reply, a bare Graph request), percentiles, and waiting on observed progress.
import { performance } from "node:perf_hooks";
import type { NatsConnection } from "@nats-io/nats-core";
import { callRpc } from "@app/shared/nats";
import { z } from "zod";

/** min/p50/p95/p99/max (nearest rank) of `ms`, rounded to 0.1 ms; `{ n: 0 }` when empty. */
export function percentiles(ms: number[]) {
  if (ms.length === 0) return { n: 0 };
  const s = [...ms].sort((a, b) => a - b);
  const p = (q: number) => +s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!.toFixed(1);
  return { n: s.length, min: +s[0]!.toFixed(1), p50: p(0.5), p95: p(0.95), p99: p(0.99), max: +s.at(-1)!.toFixed(1) };
}

/**
 * Bare NATS request/reply (300 round trips to an echo responder on `prefix`) and a bare Graph
 * request (`graphGet`, 100 times), measured now on this machine.
 */
export async function measureBaselines(nc: NatsConnection, prefix: string, graphGet: () => Promise<unknown>) {
  const subject = `${prefix}.bench.echo`;
  const sub = nc.subscribe(subject, { callback: (_e, m) => void m.respond(JSON.stringify({ ok: true, data: {} })) });
  const nats: number[] = [];
  try {
    for (let i = 0; i < 300; i++) {
      const t = performance.now();
      await callRpc(nc, subject, {}, z.object({}), { timeoutMs: 5_000 });
      nats.push(performance.now() - t);
    }
  } finally {
    sub.unsubscribe();
  }
  const graph: number[] = [];
  for (let i = 0; i < 100; i++) {
    const t = performance.now();
    await graphGet();
    graph.push(performance.now() - t);
  }
  return { natsRequestReply: percentiles(nats), graphRequest: percentiles(graph) };
}

/** Load averages (1, 5, 15 min) and core count of this machine, to print beside the figures. */
export function machineLoad(): { loadAverage: number[]; cores: number } {
  return { loadAverage: Deno.loadavg().map((x) => +x.toFixed(2)), cores: navigator.hardwareConcurrency };
}
