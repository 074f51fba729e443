// A Graph testbed for the calendar's end-to-end tests: the real graph-client over HTTPS against
// the calendar module's routes, mounted the way the core mounts a GraphModule (a mailbox app
// under /v1.0/me, admin routes under /_admin), with a stand-in for the core's bearer-auth and
// mailbox middleware. Tests trust the emulator CA through DENO_CERT, as the test runner sets it.
import { Client } from "@microsoft/microsoft-graph-client";
import { Hono } from "hono";
import { defaultConfig } from "../../config.ts";
import { DeltaTokens } from "../../graph/delta_tokens.ts";
import type { GraphEnv } from "../../graph/env.ts";
import { GraphError, graphErrorResponse } from "../../graph/errors.ts";
import { parsePrefer } from "../../graph/prefer.ts";
import { EmulatorState } from "../../state/state.ts";
import { ensureTlsMaterial } from "../../tls.ts";
import { calendarModule } from "../mod.ts";

export interface Testbed {
  client: Client;
  state: EmulatorState;
  userId: string;
  deltaTokens: DeltaTokens;
  /** JSON call to the admin API (`/_admin` + path). */
  admin(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }>;
  close(): Promise<void>;
}

/** Starts the testbed on a free loopback port. */
export async function startTestbed(scopes = ["Calendars.ReadWrite"]): Promise<Testbed> {
  const tls = await ensureTlsMaterial(Deno.env.get("TLS_DIR") ?? `${Deno.cwd()}/.local/tls`);
  const state = new EmulatorState();
  const tenant = state.addTenant({ domain: "contoso.test" });
  const user = state.addUser({
    tenantId: tenant.id,
    userPrincipalName: "adele@contoso.test",
    displayName: "Adele Vance",
  });
  const config = defaultConfig();
  const deltaTokens = new DeltaTokens(() => config.deltaGenerationsKept);
  const ctx = { state, config, deltaTokens } as unknown as Parameters<
    NonNullable<typeof calendarModule.mailboxRoutes>
  >[1];

  const app = new Hono<GraphEnv>();
  app.onError((err, c) => {
    if (err instanceof GraphError) return graphErrorResponse(c, err);
    return c.json({ error: { code: "generalException", message: String(err) } }, 500);
  });
  app.use("/v1.0/me/*", async (c, next) => {
    c.set("requestId", crypto.randomUUID());
    c.set("principal", { token: { scopes }, user, app: {} } as unknown as GraphEnv["Variables"]["principal"]);
    c.set("mailbox", state.mailbox(user.id));
    c.set("mailboxUser", user);
    c.set("prefer", parsePrefer(c.req.header("Prefer")));
    await next();
  });
  const me = new Hono<GraphEnv>();
  calendarModule.mailboxRoutes!(me, ctx);
  app.route("/v1.0/me", me);
  const admin = new Hono();
  calendarModule.adminRoutes!(admin, ctx);
  app.route("/_admin", admin as unknown as Hono<GraphEnv>);

  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, cert: tls.cert, key: tls.key, onListen: () => {} },
    app.fetch,
  );
  const origin = `https://localhost:${server.addr.port}`;
  const client = Client.initWithMiddleware({
    authProvider: { getAccessToken: () => Promise.resolve("testbed-token") },
    baseUrl: `${origin}/`,
    customHosts: new Set(["localhost"]),
  });
  return {
    client,
    state,
    userId: user.id,
    deltaTokens,
    async admin(method, path, body) {
      const res = await fetch(`${origin}/_admin${path}`, {
        method,
        headers: body === undefined ? {} : { "Content-Type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, json: text ? JSON.parse(text) : undefined };
    },
    close: () => server.shutdown(),
  };
}
