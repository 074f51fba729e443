// Test world for auth: real Postgres and NATS (a database and prefix of its own), the Microsoft
// 365 emulator over HTTPS with app registration and mailboxes, auth configured for it, tenants
// with API keys, and helpers to call the API, sign in through the emulator and read what auth
// stored and published.
import { jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/nats-core";
import postgres from "postgres";
import { type AuthEvent, AuthEventSchema, TokenReplySchema } from "@app/shared/contract";
import { callRpc, natsCatalog } from "@app/shared/nats";
import type { RunningService } from "@app/shared/runtime";
import { connectTestNats, freePort, isolatedInfra, waitFor } from "@app/shared/testing";
import { authorityMetadata, type RunningEmulator, startM365Emulator } from "@app/m365-emulator";
import { runTenantCli } from "../cli.ts";
import { loadAuthConfig } from "../config.ts";
import { startAuth } from "../main.ts";

export const CLIENT_ID = "0c7e0d1a-aaaa-4bbb-8ccc-00000000a11e";
export const CLIENT_SECRET = "auth-test-secret";
export const CRM_ORIGIN = "https://crm.example.test";

/** An HTTP answer with its parsed body. */
export interface Answer {
  status: number;
  // deno-lint-ignore no-explicit-any -- tests read into answers freely
  body: any;
  headers: Headers;
}

/** Everything a test needs; `close()` undoes it all. */
export interface AuthWorld {
  emu: RunningEmulator;
  auth: RunningService;
  nc: NatsConnection;
  sql: postgres.Sql;
  prefix: string;
  env: Record<string, string>;
  /** API keys by tenant id. */
  keys: Record<string, string>;
  call(key: string, method: string, path: string, body?: unknown): Promise<Answer>;
  /** Full sign-in: start linking, let the emulator consent for `upn`, follow the redirect to auth. */
  link(key: string, userId: string, upn: string, returnUrl?: string): Promise<Answer>;
  /** Starts linking with `loginHint: hint`, then signs in on the emulator's page as `upn` instead. */
  linkAs(key: string, userId: string, hint: string, upn: string): Promise<Answer>;
  /** Runs the operator CLI against this world's database. */
  cli(...args: string[]): Promise<unknown>;
  /** Asks auth for a token over NATS, as a sync service does. */
  token(
    tenantId: string,
    userId: string,
    forceRefresh?: boolean,
  ): Promise<{ accessToken: string; graphBaseUrl: string }>;
  /** The access and refresh tokens and codes the emulator holds now. */
  issuedTokens(): string[];
  /** Every auth event published so far, in order. */
  events(): Promise<AuthEvent[]>;
  /** Waits until the outbox is drained (every recorded event published). */
  settled(): Promise<void>;
  /** Every row of every auth table, as JSON text per table. */
  rows(): Promise<Record<string, string[]>>;
  restartAuth(env?: Record<string, string>): Promise<void>;
  close(): Promise<void>;
}

/** A random `kid:base64key` for TOKEN_ENCRYPTION_KEYS. */
export function tokenKey(kid: string): string {
  return `${kid}:${btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))))}`;
}

/** Starts the world: tenants `{ id: enabled }`, mailboxes `adele`, `ben`, `carla` in contoso.test. */
export async function startAuthWorld(label: string, tenants: Record<string, boolean>): Promise<AuthWorld> {
  const infra = await isolatedInfra(label);
  const { db, prefix } = infra;
  const emu = await startM365Emulator();
  const port = freePort();
  const redirectUri = `http://127.0.0.1:${port}/oauth/callback`;
  await emu.admin.createTenant({
    domain: "contoso.test",
    users: ["adele", "ben", "carla"].map((n) => ({
      userPrincipalName: `${n}@contoso.test`,
      displayName: n[0]!.toUpperCase() + n.slice(1),
    })),
    apps: [{
      clientId: CLIENT_ID,
      displayName: "CRM sync",
      secrets: [CLIENT_SECRET],
      redirectUris: [redirectUri],
      autoConsent: true,
    }],
  });
  const env: Record<string, string> = {
    ...infra.env,
    PORT: String(port),
    LOG_LEVEL: "debug",
    MS_CLIENT_ID: CLIENT_ID,
    MS_CLIENT_SECRET: CLIENT_SECRET,
    MS_AUTHORITY: `${emu.url}/organizations`,
    MS_AUTHORITY_METADATA: JSON.stringify(authorityMetadata(emu.url, "organizations")),
    MS_REDIRECT_URI: redirectUri,
    MS_GRAPH_BASE_URL: emu.url,
    TOKEN_ENCRYPTION_KEYS: tokenKey("k1"),
    CRM_RETURN_ORIGINS: CRM_ORIGIN,
  };
  const keys: Record<string, string> = {};
  for (const [id, enabled] of Object.entries(tenants)) {
    const created = await runTenantCli(["create", "--id", id, "--name", id, ...(enabled ? ["--enable"] : [])], env);
    keys[id] = (created as { apiKey: string }).apiKey;
  }
  let auth = await startAuth(loadAuthConfig(env));
  const nc = await connectTestNats();
  const sql = postgres(db.url, { max: 2, onnotice: () => {} });
  const stream = natsCatalog(prefix).streams.authEvents.name;

  const call = async (key: string, method: string, path: string, body?: unknown): Promise<Answer> => {
    const res = await fetch(`${auth.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch { /* HTML or empty */ }
    return { status: res.status, body: parsed, headers: res.headers };
  };

  const w: AuthWorld = {
    emu,
    get auth() {
      return auth;
    },
    nc,
    sql,
    prefix,
    env,
    keys,
    call,
    async link(key, userId, upn, returnUrl) {
      const started = await call(key, "POST", `/v1/users/${userId}/link`, { loginHint: upn, returnUrl });
      if (started.status !== 201) return started;
      const authorize = await fetch(started.body.authorizeUrl, { redirect: "manual" });
      await authorize.body?.cancel();
      const back = authorize.headers.get("location");
      if (!back) throw new Error(`the emulator did not redirect (${authorize.status})`);
      const res = await fetch(back, { redirect: "manual" });
      return { status: res.status, body: await res.text(), headers: res.headers };
    },
    async linkAs(key, userId, hint, upn) {
      const started = await call(key, "POST", `/v1/users/${userId}/link`, { loginHint: hint });
      if (started.status !== 201) return started;
      // What a user's browser does who picks another account on Microsoft's sign-in page.
      const authorize = new URL(started.body.authorizeUrl);
      const form = new URLSearchParams(authorize.searchParams);
      form.set("user", upn);
      const signedIn = await fetch(authorize.origin + authorize.pathname, {
        method: "POST",
        body: form,
        redirect: "manual",
      });
      await signedIn.body?.cancel();
      const back = signedIn.headers.get("location");
      if (!back) throw new Error(`the emulator did not redirect (${signedIn.status})`);
      const res = await fetch(back, { redirect: "manual" });
      return { status: res.status, body: await res.text(), headers: res.headers };
    },
    cli: (...args) => runTenantCli(args, env),
    token(tenantId, userId, forceRefresh) {
      const subject = natsCatalog(prefix).subjects.auth.rpc.tokenGet;
      return callRpc(nc, subject, { tenantId, userId, forceRefresh }, TokenReplySchema);
    },
    issuedTokens() {
      const st = w.emu.state;
      return [...st.accessTokens.keys(), ...st.refreshTokens.keys(), ...st.codes.keys()];
    },
    async events() {
      const jsm = await jetstreamManager(nc);
      const info = await jsm.streams.info(stream);
      const out: AuthEvent[] = [];
      for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
        const m = await jsm.streams.getMessage(stream, { seq });
        if (m) out.push(AuthEventSchema.parse(m.json()));
      }
      return out;
    },
    async settled() {
      await waitFor(
        "the outbox to drain",
        async () => (await sql`select count(*)::int as n from auth.outbox`)[0]!.n === 0,
      );
    },
    async rows() {
      const tables = await sql<{ name: string }[]>`
        select table_name as name from information_schema.tables where table_schema = 'auth' order by 1`;
      const out: Record<string, string[]> = {};
      for (const { name } of tables) {
        const rows = await sql.unsafe(`select row_to_json(t)::text as j from auth."${name}" t order by 1`);
        out[name] = rows.map((r) => r.j as string);
      }
      return out;
    },
    async restartAuth(extra = {}) {
      await auth.stop();
      Object.assign(env, extra);
      auth = await startAuth(loadAuthConfig(env));
    },
    async close() {
      await auth.stop();
      await sql.end();
      await nc.drain();
      await emu.stop();
      await infra[Symbol.asyncDispose]();
    },
  };
  return w;
}

/** The events of one type, in order. */
export function ofType<T extends AuthEvent["type"]>(events: AuthEvent[], type: T): Extract<AuthEvent, { type: T }>[] {
  return events.filter((e): e is Extract<AuthEvent, { type: T }> => e.type === type);
}

/** Fails when any of `tokens` (or a JWT's payload part) appears in `text`. */
export function assertNoTokenIn(text: string, tokens: Iterable<string>): void {
  let n = 0;
  for (const token of tokens) {
    n++;
    if (text.includes(token)) throw new Error(`a token issued by the emulator appears (${token.slice(0, 8)}…)`);
    const payload = token.split(".")[1];
    if (payload && payload.length > 20 && text.includes(payload)) throw new Error("a token's payload appears");
  }
  if (n === 0) throw new Error("no tokens to look for: the check would prove nothing");
}
