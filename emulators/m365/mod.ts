/**
 * The Microsoft 365 emulator: Graph v1.0 and the identity platform over HTTPS, for tests and the
 * demo. Production code never imports this package.
 * @module
 */
import type { Logger } from "@app/shared/log";
import { AdminClient } from "./admin_client.ts";
import type { EmulatorContext } from "./context.ts";
import { type ConfigOverrides, createEmulator } from "./emulator.ts";
import type { GraphModule } from "./module.ts";
import { EmulatorHttpsServer } from "./net/https_server.ts";
import { restoreSnapshot, type Snapshot } from "./state/snapshot.ts";
import type { EmulatorState } from "./state/state.ts";
import { ensureTlsMaterial } from "./tls.ts";

export * from "./tls.ts";
export { AdminClient } from "./admin_client.ts";
export type { ConfigOverrides } from "./emulator.ts";
export { createEmulator } from "./emulator.ts";
export type { GraphModule } from "./module.ts";
export type { EmulatorContext } from "./context.ts";
export { authorityMetadata, openIdConfiguration } from "./identity/metadata.ts";

/** Options of {@link startM365Emulator}. */
export interface StartOptions {
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  /** Interface to bind; 127.0.0.1 by default. */
  hostname?: string;
  /** Where the CA and server certificate live (made if missing); default `$TLS_DIR` or `.local/tls`. */
  tlsDir?: string;
  config?: ConfigOverrides;
  /** Extra modules on top of the default ones. */
  modules?: GraphModule[];
  /** A snapshot file to load at start, if it exists. */
  snapshotPath?: string;
  logger?: Logger;
}

/** A running emulator. */
export interface RunningEmulator {
  /** `https://127.0.0.1:PORT` (no trailing slash). */
  url: string;
  port: number;
  /** The CA that signed the server certificate; trust it with `DENO_CERT`. */
  caPath: string;
  admin: AdminClient;
  state: EmulatorState;
  ctx: EmulatorContext;
  stop(): Promise<void>;
}

/** Starts the emulator over HTTPS on 127.0.0.1 (in-process; `main.ts` runs it standalone). */
export async function startM365Emulator(o: StartOptions = {}): Promise<RunningEmulator> {
  const tls = await ensureTlsMaterial(o.tlsDir ?? Deno.env.get("TLS_DIR") ?? ".local/tls");
  const holder: { server?: EmulatorHttpsServer } = {};
  const { ctx, app, timers } = createEmulator({
    config: o.config,
    modules: o.modules,
    logger: o.logger,
    resetConnection: (addr) => holder.server?.reset(addr) ?? false,
  });
  if (o.snapshotPath) {
    const text = await Deno.readTextFile(o.snapshotPath).catch(() => undefined);
    if (text) {
      for (const s of restoreSnapshot(ctx.state, JSON.parse(text) as Snapshot)) {
        ctx.subscriptions.subscriptions.set(s.id, s);
      }
    }
  }
  const server = await EmulatorHttpsServer.listen({
    hostname: o.hostname ?? "127.0.0.1",
    port: o.port ?? 0,
    cert: tls.cert,
    key: tls.key,
    fetch: (req, info) => app.fetch(req, info),
  });
  holder.server = server;
  const port = server.port;
  const url = `https://127.0.0.1:${port}`;
  let stopped = false;
  return {
    url,
    port,
    caPath: await Deno.realPath(tls.caPath),
    admin: new AdminClient(url),
    state: ctx.state,
    ctx,
    async stop() {
      if (stopped) return;
      stopped = true;
      timers.stop();
      await ctx.subscriptions.stop();
      await server.close();
    },
  };
}
