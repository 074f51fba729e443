// `deno task start`: the whole system on this machine, one supervised process per service.
// Finds or starts Postgres and NATS, then runs auth, contacts-sync, calendar-sync and dedupe
// (restarting any that dies), prefixes their log lines, prints where each listens once ready,
// and stops everything cleanly on Ctrl-C. Without MS_CLIENT_ID (no real Microsoft 365 tenant)
// it runs in demo mode: the Microsoft 365 emulator and the CRM simulator start too, and a demo
// agency is seeded and linked.
import { ensureTlsMaterial } from "@app/m365-emulator/tls";
import { ensureDatabaseExists } from "@app/shared/db";
import { demoEnvironment, demoGuide, seedAndLinkDemo } from "./lib/demo.ts";
import { ensureInfra } from "./lib/infra.ts";
import { type ProcessSpec, Supervisor } from "./lib/supervisor.ts";

// A capped old generation makes V8 collect before resident memory drifts up between runs (budget: < 300 MB).
// dedupe holds a whole tenant's records during a scan: 100,000 contacts need about 265 MB of heap.
const heapCap = (mb: number) => [`--v8-flags=--max-old-space-size=${mb}`];
const root = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
const say = (m: string) => console.error(`[start] ${m}`);
const envPort = (name: string, fallback: number) => Number(Deno.env.get(`${name}_PORT`) ?? fallback);

const infra = await ensureInfra(root, say);
const tls = await ensureTlsMaterial(`${root}/.local/tls`);
// DATABASE_URL names the database when set; otherwise the services share `crmsync` on the server found.
const dbUrl = new URL(infra.databaseUrl);
if (!Deno.env.get("DATABASE_URL")) dbUrl.pathname = "/crmsync";
await ensureDatabaseExists(dbUrl.toString());

const demo = !Deno.env.get("MS_CLIENT_ID");
const ports = {
  auth: envPort("AUTH", 8081),
  contacts: envPort("CONTACTS_SYNC", 8082),
  calendar: envPort("CALENDAR_SYNC", 8083),
  dedupe: envPort("DEDUPE", 8084),
  m365: envPort("M365", 8443),
  crm: envPort("CRM", 8090),
};
const demoDir = `${root}/.local/demo${Deno.env.get("NATS_PREFIX") ? `-${Deno.env.get("NATS_PREFIX")}` : ""}`;
await Deno.mkdir(demoDir, { recursive: true });
const demoEnv = demo ? await demoEnvironment(demoDir, ports) : undefined;
const tlsClient = Deno.createHttpClient({ caCerts: [tls.ca] });

const common: Record<string, string> = {
  DATABASE_URL: dbUrl.toString(),
  NATS_URL: infra.natsUrl,
  DENO_CERT: tls.caPath,
  TLS_DIR: `${root}/.local/tls`,
};
/**
 * P8: Outlook → CRM in seconds in the demo too. The local emulator delivers change notifications
 * to the sync services on this machine (it accepts http:// on loopback), so they subscribe instead
 * of waiting for a poll. With a real tenant, each service needs its own HTTPS address Graph can
 * reach (`CONTACTS_SYNC_PUBLIC_URL`, `CALENDAR_SYNC_PUBLIC_URL`): one URL for both would deliver
 * one service's notifications to the other, which ignores them.
 */
const syncEnv = (name: string, port: number): Record<string, string> => {
  const publicUrl = Deno.env.get(`${name}_PUBLIC_URL`) ?? (demo ? `http://127.0.0.1:${port}` : undefined);
  return publicUrl ? { ...common, PUBLIC_URL: publicUrl } : common;
};
const specs: ProcessSpec[] = [
  ...(demoEnv
    ? [
      {
        name: "m365-emulator",
        entry: "emulators/m365/main.ts",
        port: ports.m365,
        env: { ...common, ...demoEnv.m365 },
        ready: async () => {
          const res = await fetch(
            `https://127.0.0.1:${ports.m365}/organizations/v2.0/.well-known/openid-configuration`,
            {
              client: tlsClient,
            },
          );
          await res.body?.cancel();
          return res.ok;
        },
      },
      {
        name: "crm-simulator",
        entry: "emulators/crm/main.ts",
        port: ports.crm,
        env: { ...common, ...demoEnv.crm },
        ready: async () => {
          const res = await fetch(`http://127.0.0.1:${ports.crm}/admin/tenants`);
          await res.body?.cancel();
          return res.ok;
        },
      },
    ]
    : []),
  ...[
    { name: "auth", entry: "services/auth/main.ts", port: ports.auth, env: { ...common, ...demoEnv?.auth } },
    {
      name: "contacts-sync",
      entry: "services/contacts-sync/main.ts",
      port: ports.contacts,
      env: syncEnv("CONTACTS_SYNC", ports.contacts),
    },
    {
      name: "calendar-sync",
      entry: "services/calendar-sync/main.ts",
      port: ports.calendar,
      env: syncEnv("CALENDAR_SYNC", ports.calendar),
    },
  ].map((s) => ({ ...s, flags: heapCap(192) })),
  { name: "dedupe", entry: "services/dedupe/main.ts", port: ports.dedupe, env: common, flags: heapCap(512) },
].map((s) => ({ ...s, env: { ...s.env, PORT: String(s.port) } }));

const supervisor = new Supervisor(root, say);
for (const s of specs) supervisor.add(s);

let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  say(`${signal}: stopping ...`);
  await supervisor.stop();
  await infra.stop();
  tlsClient.close();
  say("stopped");
  Deno.exit(0);
};
Deno.addSignalListener("SIGINT", () => void stop("SIGINT"));
Deno.addSignalListener("SIGTERM", () => void stop("SIGTERM"));

const ready = await supervisor.waitReady(60_000);
if (!ready.ok) {
  say(`not ready within 60 s: ${ready.waiting.join(", ")}`);
} else {
  say("ready:");
  for (const s of specs) {
    const scheme = s.name === "m365-emulator" ? "https" : "http";
    const what = s.name.endsWith("-emulator") || s.name.endsWith("-simulator") ? "" : "  (OpenAPI at /openapi.json)";
    say(`  ${s.name.padEnd(14)} ${scheme}://127.0.0.1:${s.port}${what}`);
  }
  if (demoEnv) {
    try {
      const { apiKey } = await seedAndLinkDemo(demoDir, ports, common, tlsClient);
      for (const line of demoGuide(ports, apiKey)) say(line);
    } catch (err) {
      say(`demo seeding failed: ${err instanceof Error ? err.message : err}`);
    }
  }
  say("press Ctrl-C to stop");
}
