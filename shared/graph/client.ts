import {
  AuthenticationHandler,
  type AuthenticationProvider,
  Client,
  type Context,
  HTTPMessageHandler,
  type Middleware,
  RetryHandler,
  RetryHandlerOptions,
  TelemetryHandler,
} from "@microsoft/microsoft-graph-client";
import type { Semaphore } from "./semaphore.ts";
import { retryAfterMsFrom } from "./errors.ts";

/**
 * The mailbox's share of Graph's per app + mailbox limits (4 concurrent requests, 10,000 per 10
 * minutes), shared by every service and replica that writes to it (P7): see `GraphBudget` in
 * shared/engine. A `$batch` takes as many slots as Graph runs at once of its items (≤ 4).
 */
export interface MailboxAllowance {
  /** Waits until `slots` concurrent requests and `operations` of the window are free; returns the release. */
  acquire(slots: number, operations: number): Promise<() => Promise<void>>;
  /** A Retry-After seen by one is honoured by all: no request for this mailbox before `ms` from now. */
  pause(ms: number): Promise<void>;
}

/** Options for {@link createGraphClient}. */
export interface GraphClientOptions {
  /** `https://graph.microsoft.com` in production; the emulator's URL in demo and tests. */
  baseUrl: string;
  /** A fresh access token for the mailbox (from auth over NATS, or MSAL in auth itself). */
  getAccessToken: () => Promise<string>;
  /** Requests in flight at once for this mailbox, in this process only. */
  concurrency?: Semaphore;
  /** The mailbox's allowance shared across services and replicas; every attempt (retries too) takes it. */
  allowance?: MailboxAllowance;
  /** Retries of 429/503/504 after Retry-After (0 turns retrying off, e.g. for $batch callers). */
  maxRetries?: number;
  /** Called for every HTTP response (metrics, request counting in benchmarks); `seconds` excludes waiting for the allowance. */
  onResponse?: (info: { method: string; url: string; status: number; seconds: number }) => void;
}

/** Holds one concurrency slot for the whole request, retries included. */
class ConcurrencyMiddleware implements Middleware {
  #next?: Middleware;
  constructor(private readonly semaphore: Semaphore) {}
  async execute(context: Context): Promise<void> {
    await this.semaphore.run(() => this.#next!.execute(context));
  }
  setNext(next: Middleware): void {
    this.#next = next;
  }
}

/**
 * Takes the mailbox's shared allowance for each attempt and gives it back after; a 429/503 (of the
 * request or of a `$batch` item) pauses the mailbox for everyone for its Retry-After.
 */
class AllowanceMiddleware implements Middleware {
  #next?: Middleware;
  constructor(private readonly allowance: MailboxAllowance) {}
  async execute(context: Context): Promise<void> {
    const items = batchItemCount(context);
    const release = await this.allowance.acquire(Math.min(4, Math.max(1, items)), Math.max(1, items));
    try {
      await this.#next!.execute(context);
    } finally {
      await release();
    }
    const res = context.response;
    if (!res) return;
    let waitMs = res.status === 429 || res.status === 503
      ? retryAfterMsFrom((n) => res.headers.get(n)) ?? 1_000
      : undefined;
    if (items > 0 && res.status === 200) waitMs = await throttledItemsWait(res);
    if (waitMs !== undefined) await this.allowance.pause(waitMs);
  }
  setNext(next: Middleware): void {
    this.#next = next;
  }
}

/** Items of a `$batch` request, 0 for any other request. */
function batchItemCount(context: Context): number {
  const req = context.request;
  const url = typeof req === "string" ? req : req.url;
  if (!/\/\$batch(\?|$)/.test(url)) return 0;
  try {
    const body = JSON.parse(String(context.options?.body ?? "{}")) as { requests?: unknown[] };
    return Array.isArray(body.requests) ? body.requests.length : 1;
  } catch {
    return 1;
  }
}

/** The longest Retry-After among a `$batch`'s throttled items, if any was throttled. */
async function throttledItemsWait(res: Response): Promise<number | undefined> {
  try {
    const body = await res.clone().json() as {
      responses?: { status?: number; headers?: Record<string, string> }[];
    };
    let wait: number | undefined;
    for (const r of body.responses ?? []) {
      if (r.status !== 429 && r.status !== 503) continue;
      const h = Object.fromEntries(Object.entries(r.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
      wait = Math.max(wait ?? 0, retryAfterMsFrom((n) => h[n]) ?? 1_000);
    }
    return wait;
  } catch {
    return undefined;
  }
}

/** Reports every response (including each retried one) to a callback. */
class ObserveMiddleware implements Middleware {
  #next?: Middleware;
  constructor(private readonly onResponse: NonNullable<GraphClientOptions["onResponse"]>) {}
  async execute(context: Context): Promise<void> {
    const started = performance.now();
    await this.#next!.execute(context);
    const req = context.request;
    const url = typeof req === "string" ? req : req.url;
    this.onResponse({
      method: context.options?.method ?? "GET",
      url,
      status: context.response?.status ?? 0,
      seconds: (performance.now() - started) / 1000,
    });
  }
  setNext(next: Middleware): void {
    this.#next = next;
  }
}

/**
 * A Microsoft Graph client for one mailbox: bearer token from `getAccessToken`, at most N requests
 * in flight (in this process, or within the mailbox's shared allowance), 429/503/504 retried after Retry-After (the unread body of a retried response is
 * cancelled, so nothing leaks), and the base URL's host trusted for the token (the emulator).
 */
export function createGraphClient(o: GraphClientOptions): Client {
  const base = new URL(o.baseUrl);
  const provider: AuthenticationProvider = { getAccessToken: () => o.getAccessToken() };
  const chain: Middleware[] = [];
  if (o.concurrency) chain.push(new ConcurrencyMiddleware(o.concurrency));
  chain.push(new AuthenticationHandler(provider));
  const shouldRetry = (_d: number, _a: number, _r: unknown, _o: unknown, res: Response) => {
    void res.body?.cancel().catch(() => {});
    return true;
  };
  chain.push(new RetryHandler(new RetryHandlerOptions(1, o.maxRetries ?? 3, shouldRetry)));
  if (o.allowance) chain.push(new AllowanceMiddleware(o.allowance));
  if (o.onResponse) chain.push(new ObserveMiddleware(o.onResponse));
  chain.push(new TelemetryHandler(), new HTTPMessageHandler());
  for (let i = 0; i < chain.length - 1; i++) chain[i]!.setNext!(chain[i + 1]!);
  return Client.initWithMiddleware({
    middleware: chain[0]!,
    baseUrl: `${base.origin}/`,
    defaultVersion: "v1.0",
    customHosts: base.hostname === "graph.microsoft.com" ? undefined : new Set([base.hostname]),
  });
}
