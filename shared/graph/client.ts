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

/** Options for {@link createGraphClient}. */
export interface GraphClientOptions {
  /** `https://graph.microsoft.com` in production; the emulator's URL in demo and tests. */
  baseUrl: string;
  /** A fresh access token for the mailbox (from auth over NATS, or MSAL in auth itself). */
  getAccessToken: () => Promise<string>;
  /** Requests in flight at once for this mailbox (Graph allows 4 per app and mailbox). */
  concurrency?: Semaphore;
  /** Retries of 429/503/504 after Retry-After (0 turns retrying off, e.g. for $batch callers). */
  maxRetries?: number;
  /** Called for every HTTP response (metrics, request counting in benchmarks). */
  onResponse?: (info: { method: string; url: string; status: number }) => void;
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

/** Reports every response (including each retried one) to a callback. */
class ObserveMiddleware implements Middleware {
  #next?: Middleware;
  constructor(private readonly onResponse: NonNullable<GraphClientOptions["onResponse"]>) {}
  async execute(context: Context): Promise<void> {
    await this.#next!.execute(context);
    const req = context.request;
    const url = typeof req === "string" ? req : req.url;
    this.onResponse({ method: context.options?.method ?? "GET", url, status: context.response?.status ?? 0 });
  }
  setNext(next: Middleware): void {
    this.#next = next;
  }
}

/**
 * A Microsoft Graph client for one mailbox: bearer token from `getAccessToken`, at most N requests
 * in flight, 429/503/504 retried after Retry-After (the unread body of a retried response is
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
