import type { Logger } from "../log/mod.ts";

/** An HTTP server started by {@link serveHttp}. */
export interface HttpServer {
  port: number;
  url: string;
  /** Stops accepting, lets requests in flight finish, then resolves. */
  shutdown(): Promise<void>;
}

/** Serves `fetch` on host:port (port 0 picks a free one) and logs where. */
export function serveHttp(
  fetch: (req: Request) => Response | Promise<Response>,
  o: { host: string; port: number; logger: Logger; tls?: { cert: string; key: string } },
): HttpServer {
  const server = Deno.serve({
    hostname: o.host,
    port: o.port,
    ...(o.tls ?? {}),
    onListen: () => {},
  }, fetch);
  const addr = server.addr as Deno.NetAddr;
  const url = `${o.tls ? "https" : "http"}://${o.host.includes(":") ? `[${o.host}]` : o.host}:${addr.port}`;
  o.logger.info("listening", { url });
  return { port: addr.port, url, shutdown: () => server.shutdown() };
}
