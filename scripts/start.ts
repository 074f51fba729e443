// `deno task start`: the whole system on this machine, one supervised process per service.
// Finds or starts Postgres and NATS, then runs auth, contacts-sync, calendar-sync and dedupe
// (restarting any that dies), prefixes their log lines, prints where each listens once ready,
// and stops everything cleanly on Ctrl-C.
import { ensureTlsMaterial } from "@app/m365-emulator/tls";
import { ensureDatabaseExists } from "@app/shared/db";
import { ensureInfra } from "./lib/infra.ts";
import { type ProcessSpec, Supervisor } from "./lib/supervisor.ts";

const root = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
const say = (m: string) => console.error(`[start] ${m}`);

const infra = await ensureInfra(root, say);
const tls = await ensureTlsMaterial(`${root}/.local/tls`);
const dbUrl = new URL(infra.databaseUrl);
dbUrl.pathname = `/${Deno.env.get("CRMSYNC_DATABASE") ?? "crmsync"}`;

await ensureDatabaseExists(dbUrl.toString());

const common: Record<string, string> = {
  DATABASE_URL: dbUrl.toString(),
  NATS_URL: infra.natsUrl,
  DENO_CERT: tls.caPath,
};
const services: ProcessSpec[] = [
  { name: "auth", entry: "services/auth/main.ts", port: 8081 },
  { name: "contacts-sync", entry: "services/contacts-sync/main.ts", port: 8082 },
  { name: "calendar-sync", entry: "services/calendar-sync/main.ts", port: 8083 },
  { name: "dedupe", entry: "services/dedupe/main.ts", port: 8084 },
].map((s) => {
  const port = Number(Deno.env.get(`${s.name.toUpperCase().replaceAll("-", "_")}_PORT`) ?? s.port);
  return { ...s, port, env: { ...common, PORT: String(port) } };
});

const supervisor = new Supervisor(root, say);
for (const s of services) supervisor.add(s);

let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  say(`${signal}: stopping ...`);
  await supervisor.stop();
  await infra.stop();
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
  for (const s of services) say(`  ${s.name.padEnd(14)} http://127.0.0.1:${s.port}  (OpenAPI at /openapi.json)`);
  say("press Ctrl-C to stop");
}
