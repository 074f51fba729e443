/**
 * A TCP proxy a test puts between a service and a dependency, to cut the dependency off
 * (`pause()`: drop every connection and refuse new ones) and bring it back (`resume()`).
 */
export class TcpProxy {
  #listener?: Deno.TcpListener;
  #conns = new Set<Deno.Conn>();
  #pipes = new Set<Promise<void>>();
  #accepting?: Promise<void>;
  #port = 0;

  constructor(readonly targetHost: string, readonly targetPort: number) {}

  /**
   * Starts a proxy in front of the host and port of `url` (`nats://…`, `postgres://…`; the first
   * server of a comma list) and returns it with `url` rewritten to go through it.
   */
  static front(url: string, defaultPort: number): { proxy: TcpProxy; url: string } {
    const first = url.split(",")[0]!;
    const parsed = new URL(/^[a-z]+:\/\//.test(first) ? first : `nats://${first}`);
    const proxy = new TcpProxy(parsed.hostname, Number(parsed.port || defaultPort));
    proxy.start();
    parsed.hostname = "127.0.0.1";
    parsed.port = String(proxy.port);
    return { proxy, url: parsed.toString() };
  }

  /** The proxy's local port (stable across pause/resume). */
  get port(): number {
    return this.#port;
  }

  /** Starts listening on 127.0.0.1 (on the same port as before after a pause). */
  start(): void {
    this.#listener = Deno.listen({ hostname: "127.0.0.1", port: this.#port });
    this.#port = (this.#listener.addr as Deno.NetAddr).port;
    this.#accepting = this.#accept(this.#listener);
  }

  async #accept(listener: Deno.TcpListener): Promise<void> {
    try {
      for await (const inbound of listener) {
        let outbound: Deno.Conn;
        try {
          outbound = await Deno.connect({ hostname: this.targetHost, port: this.targetPort });
        } catch {
          inbound.close();
          continue;
        }
        this.#conns.add(inbound).add(outbound);
        const p = Promise.all([this.#pipe(inbound, outbound), this.#pipe(outbound, inbound)]).then(() => {});
        this.#pipes.add(p);
        p.finally(() => this.#pipes.delete(p));
      }
    } catch {
      // listener closed
    }
  }

  async #pipe(from: Deno.Conn, to: Deno.Conn): Promise<void> {
    try {
      await from.readable.pipeTo(to.writable);
    } catch {
      // either side closed
    } finally {
      this.#close(from);
      this.#close(to);
    }
  }

  #close(c: Deno.Conn): void {
    if (!this.#conns.delete(c)) return;
    try {
      c.close();
    } catch {
      // already closed
    }
  }

  /** Drops every connection and stops listening. */
  async pause(): Promise<void> {
    this.#listener?.close();
    this.#listener = undefined;
    await this.#accepting;
    for (const c of [...this.#conns]) this.#close(c);
    await Promise.all([...this.#pipes]);
  }

  /** Listens again on the same port. */
  resume(): void {
    this.start();
  }

  /** Stops for good. */
  stop(): Promise<void> {
    return this.pause();
  }
}
