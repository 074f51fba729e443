/**
 * A plain TCP front door before the HTTPS server. `Deno.serve` cannot drop a connection without
 * answering, but tests need "connection reset" faults; so clients connect here, bytes (still
 * TLS) are piped to the real server on an internal port, and `reset()` closes both sockets of
 * the pair a request came on. The server sees the front's outbound socket as the remote
 * address, which is how a request finds its pair.
 */
export class FrontDoor {
  #listener?: Deno.TcpListener;
  #byInnerPort = new Map<number, { inbound: Deno.Conn; outbound: Deno.Conn }>();
  #conns = new Set<Deno.Conn>();
  #pipes = new Set<Promise<void>>();
  #accepting?: Promise<void>;

  constructor(private readonly targetPort: number) {}

  /** Listens on `hostname:port` (0 = any free port) and returns the bound port. */
  listen(hostname: string, port: number): number {
    this.#listener = Deno.listen({ hostname, port });
    this.#accepting = this.#accept(this.#listener);
    return (this.#listener.addr as Deno.NetAddr).port;
  }

  /** Drops the client connection whose request arrived from `remoteAddr`; false if unknown. */
  reset(remoteAddr: Deno.NetAddr | undefined): boolean {
    const pair = remoteAddr ? this.#byInnerPort.get(remoteAddr.port) : undefined;
    if (!pair) return false;
    this.#close(pair.inbound);
    this.#close(pair.outbound);
    return true;
  }

  async close(): Promise<void> {
    try {
      this.#listener?.close();
    } catch {
      // already closed
    }
    for (const c of [...this.#conns]) this.#close(c);
    await this.#accepting;
    await Promise.allSettled([...this.#pipes]);
  }

  async #accept(listener: Deno.TcpListener): Promise<void> {
    try {
      for await (const inbound of listener) {
        let outbound: Deno.Conn;
        try {
          outbound = await Deno.connect({ hostname: "127.0.0.1", port: this.targetPort });
        } catch {
          inbound.close();
          continue;
        }
        const innerPort = (outbound.localAddr as Deno.NetAddr).port;
        this.#byInnerPort.set(innerPort, { inbound, outbound });
        this.#conns.add(inbound).add(outbound);
        const p = Promise.all([this.#pipe(inbound, outbound), this.#pipe(outbound, inbound)]).then(() => {
          this.#byInnerPort.delete(innerPort);
        });
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
}
