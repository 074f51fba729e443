import type { IncomingMessage, ServerResponse } from "node:http";
import https from "node:https";
import type { Socket } from "node:net";

/** What the emulator's handler receives besides the request. */
export interface ConnectionInfo {
  remoteAddr: Deno.NetAddr;
}

/**
 * The emulator's HTTPS listener, on `node:https` rather than `Deno.serve` for two reasons:
 * its sockets can take `TCP_NODELAY` (Deno.serve leaves Nagle's algorithm on, so every response
 * over ~1.4 KB waits ~40 ms for a delayed ACK on loopback), and a socket can be destroyed
 * mid-request, which the "connection reset" fault needs.
 */
export class EmulatorHttpsServer {
  #server: https.Server;
  #sockets = new Map<number, Socket>();
  /** Every TCP connection, from accept on (a TLS handshake still under way included), for close(). */
  #raw = new Set<Socket>();

  private constructor(server: https.Server) {
    this.#server = server;
  }

  static async listen(o: {
    hostname: string;
    port: number;
    cert: string;
    key: string;
    fetch: (req: Request, info: ConnectionInfo) => Response | Promise<Response>;
  }): Promise<EmulatorHttpsServer> {
    // Requests are read whole, then handed to the fetch handler; the emulator's bodies are small.
    const listener = async (incoming: IncomingMessage, outgoing: ServerResponse) => {
      const socket = incoming.socket;
      try {
        const chunks: Uint8Array[] = [];
        for await (const chunk of incoming) chunks.push(chunk as Uint8Array);
        const headers = new Headers();
        for (const [k, v] of Object.entries(incoming.headers)) {
          if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(", ") : v);
        }
        const method = incoming.method ?? "GET";
        const request = new Request(`https://${headers.get("host") ?? "localhost"}${incoming.url ?? "/"}`, {
          method,
          headers,
          body: method === "GET" || method === "HEAD" ? undefined : concat(chunks),
        });
        const response = await o.fetch(request, {
          remoteAddr: { transport: "tcp", hostname: socket.remoteAddress ?? "", port: socket.remotePort ?? 0 },
        });
        if (socket.destroyed) return; // a "reset" fault dropped the connection
        const body = new Uint8Array(await response.arrayBuffer());
        outgoing.writeHead(response.status, Object.fromEntries(response.headers));
        outgoing.end(body);
      } catch {
        if (!outgoing.headersSent && !socket.destroyed) outgoing.writeHead(500).end();
      }
    };
    const server = https.createServer({ cert: o.cert, key: o.key }, listener);
    // No server-side timers: they would outlive close() and a test's leak check.
    server.keepAliveTimeout = 0;
    server.requestTimeout = 0;
    server.headersTimeout = 0;
    server.timeout = 0;
    const self = new EmulatorHttpsServer(server);
    server.on("connection", (socket: Socket) => {
      self.#raw.add(socket);
      socket.on("close", () => self.#raw.delete(socket));
    });
    server.on("secureConnection", (socket: Socket) => {
      socket.setNoDelay(true);
      const port = socket.remotePort ?? 0;
      self.#sockets.set(port, socket);
      socket.on("close", () => self.#sockets.delete(port));
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(o.port, o.hostname, () => resolve());
    });
    return self;
  }

  get port(): number {
    return (this.#server.address() as { port: number }).port;
  }

  /** Drops the client connection a request arrived on; false if it is unknown. */
  reset(remoteAddr: Deno.NetAddr | undefined): boolean {
    const socket = remoteAddr ? this.#sockets.get(remoteAddr.port) : undefined;
    if (!socket) return false;
    socket.destroy();
    return true;
  }

  /** Stops listening and drops every open connection. */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    for (const s of this.#sockets.values()) s.destroy();
    for (const s of this.#raw) s.destroy();
    this.#server.closeAllConnections?.();
    await closed;
  }
}

function concat(chunks: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
