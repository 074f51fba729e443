// `deno task test`: finds or starts Postgres and NATS, makes the emulator's TLS material, runs
// every test with sanitizers on, and ends with the plain line `N passed, N failed` CI reads.
// Extra arguments go to `deno test` (e.g. a path or `--filter`).
import { ensureTlsMaterial } from "@app/m365-emulator/tls";
import { ensureInfra, ensureTool } from "./lib/infra.ts";

const root = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
const say = (m: string) => console.error(`[test] ${m}`);

const infra = await ensureInfra(root, say);
const tls = await ensureTlsMaterial(`${root}/.local/tls`);
// tests/compose_test.ts checks compose.yaml with a real compose implementation.
const dockerCompose = await ensureTool("docker-compose", "docker-compose", say);
const junit = `${root}/.local/junit.xml`;
await Deno.remove(junit).catch(() => {});
// Every token the Microsoft 365 emulator issues during the run is listed here (A6: never logged).
const issuedTokens = `${root}/.local/issued-tokens.txt`;
await Deno.writeTextFile(issuedTokens, "");

const args = ["test", "-A", "--parallel", `--junit-path=${junit}`, ...Deno.args];
const child = new Deno.Command(Deno.execPath(), {
  args,
  cwd: root,
  env: {
    DATABASE_URL: infra.databaseUrl,
    NATS_URL: infra.natsUrl,
    DENO_CERT: tls.caPath,
    TLS_DIR: `${root}/.local/tls`,
    NO_COLOR: "1",
    DENO_JOBS: Deno.env.get("DENO_JOBS") ?? "2",
    M365_ISSUED_TOKENS_FILE: issuedTokens,
    ...(dockerCompose ? { DOCKER_COMPOSE: dockerCompose } : {}),
  },
  stdout: "piped",
  stderr: "piped",
}).spawn();
const output: string[] = [];
const tee = async (stream: ReadableStream<Uint8Array>, out: typeof Deno.stdout) => {
  for await (const chunk of stream) {
    output.push(new TextDecoder().decode(chunk));
    await out.write(chunk);
  }
};
await Promise.all([tee(child.stdout, Deno.stdout), tee(child.stderr, Deno.stderr)]);
const status = await child.status;
await infra.stop();
const leaked = await leakedTokens(issuedTokens, output.join(""));
if (leaked > 0) console.error(`[test] ${leaked} issued Microsoft token(s) appear in the suite's output (A6)`);

const { passed, failed } = await countResults(junit);
// A run that died before writing results counts as one failure, never as a pass.
const failedTotal = failed + (status.success || failed > 0 ? 0 : 1) + (leaked > 0 ? 1 : 0);
console.log(`${passed} passed, ${failedTotal} failed`);
Deno.exit(status.success && failedTotal === 0 ? 0 : 1);

async function leakedTokens(file: string, text: string): Promise<number> {
  const tokens = (await Deno.readTextFile(file).catch(() => "")).split("\n").filter((t) => t.length >= 20);
  return new Set(tokens.filter((t) => text.includes(t))).size;
}

async function countResults(path: string): Promise<{ passed: number; failed: number }> {
  let xml: string;
  try {
    xml = await Deno.readTextFile(path);
  } catch {
    return { passed: 0, failed: 0 };
  }
  let passed = 0;
  let failed = 0;
  for (const m of xml.matchAll(/<testcase\b[^>]*?(\/>|>([\s\S]*?)<\/testcase>)/g)) {
    const body = m[2] ?? "";
    if (/<(failure|error)\b/.test(body)) failed++;
    else if (!/<skipped\b/.test(body)) passed++;
  }
  return { passed, failed };
}
