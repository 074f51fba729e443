// `deno task bench`: the benchmarks, with Postgres, NATS and the emulator's CA as for tests.
// Figures are printed as JSON, with ratios against baselines measured in the same run.
import { ensureTlsMaterial } from "@app/m365-emulator/tls";
import { ensureInfra } from "./lib/infra.ts";

const root = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
const infra = await ensureInfra(root, (m) => console.error(`[bench] ${m}`));
const tls = await ensureTlsMaterial(`${root}/.local/tls`);
const env = { DATABASE_URL: infra.databaseUrl, NATS_URL: infra.natsUrl, DENO_CERT: tls.caPath, NO_COLOR: "1" };
const only = Deno.args[0];
const run = async (args: string[]) => {
  const s = await new Deno.Command(Deno.execPath(), { args, cwd: root, env, stdout: "inherit", stderr: "inherit" })
    .spawn().status;
  if (!s.success) Deno.exit(s.code);
};
if (!only || only === "plan") {
  await run(["bench", "-A", "services/contacts-sync/sync/plan_bench.ts", "services/calendar-sync/sync/plan_bench.ts"]);
}
if (!only || only === "dedupe") {
  await run(["run", "-A", "--v8-flags=--expose-gc,--max-old-space-size=4096", "bench/dedupe_scan.ts"]);
}
if (!only || only === "contacts") await run(["run", "-A", "--v8-flags=--expose-gc", "bench/contacts_first_sync.ts"]);
if (!only || only === "calendar") await run(["run", "-A", "--v8-flags=--expose-gc", "bench/calendar_first_sync.ts"]);
if (!only || only === "latency") await run(["run", "-A", "bench/engine_latency.ts"]);
if (!only || only === "calendar-latency") await run(["run", "-A", "bench/calendar_latency.ts"]);
await infra.stop();
