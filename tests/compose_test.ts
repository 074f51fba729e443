// P4: compose.yaml runs the same system. A real compose implementation (Debian's docker-compose,
// which the test command installs when missing; `config` needs no engine) must accept it, and what
// it resolves must give each service only env names its config.ts knows, with a health check.
import assert from "node:assert/strict";
import { parse } from "yaml";
import { AuthConfigSchema } from "@app/auth/config";
import { ContactsSyncConfigSchema } from "@app/contacts-sync/config";
import { CalendarSyncConfigSchema } from "@app/calendar-sync/config";
import { DedupeConfigSchema } from "@app/dedupe/config";

const root = new URL("..", import.meta.url).pathname;
const schemas = {
  auth: AuthConfigSchema,
  "contacts-sync": ContactsSyncConfigSchema,
  "calendar-sync": CalendarSyncConfigSchema,
  dedupe: DedupeConfigSchema,
};

/** `docker-compose config`: compose.yaml interpolated, anchors merged, as compose itself reads it. */
async function composeConfig(...extra: string[]) {
  const bin = Deno.env.get("DOCKER_COMPOSE") ?? "docker-compose";
  let out: Deno.CommandOutput;
  try {
    out = await new Deno.Command(bin, {
      args: ["--project-directory", root, "-f", `${root}/compose.yaml`, ...extra, "config"],
      cwd: root,
      env: { COMPOSE_PROJECT_NAME: "crmsync" },
      stdout: "piped",
      stderr: "piped",
    }).output();
  } catch (err) {
    throw new Error(`${bin} is needed (Debian: apt-get install docker-compose; npm test installs it as root): ${err}`);
  }
  const stderr = new TextDecoder().decode(out.stderr);
  assert.ok(out.success, `docker-compose refuses compose.yaml: ${stderr}`);
  return parse(new TextDecoder().decode(out.stdout));
}

Deno.test("docker-compose accepts compose.yaml; every service gets only env names its config.ts knows, and a health check", async () => {
  const compose = await composeConfig();
  for (const [name, schema] of Object.entries(schemas)) {
    const svc = compose.services[name];
    assert.ok(svc, `service ${name} in compose.yaml`);
    // DENO_CERT is read by the Deno runtime itself (the demo's emulator CA), not by config.ts.
    const known = new Set([...Object.keys(schema.shape), "DENO_CERT"]);
    for (const key of Object.keys(svc.environment)) {
      assert.ok(known.has(key), `${name}: ${key} is not read by config.ts`);
    }
    const env = Object.fromEntries(Object.entries(svc.environment).map(([k, v]) => [k, v ?? ""]));
    const parsed = schema.safeParse(env);
    assert.ok(parsed.success, `${name}: compose env does not parse: ${JSON.stringify(parsed.error?.issues)}`);
    const check = svc.healthcheck.test.join(" ");
    assert.match(check, /readyz/);
    assert.match(check, /\$\{Deno\.env\.get\('PORT'\)\}/, "the health check's JavaScript keeps its ${...}");
    assert.deepEqual(svc.command, [`services/${name}/main.ts`]);
    assert.deepEqual(Object.keys(svc.depends_on).sort(), ["nats", "postgres"]);
  }
  assert.match(compose.services.nats.command.join(" "), /-js/);
  assert.ok("natsdata" in compose.volumes, "JetStream keeps its data in a volume");
});

Deno.test("the demo profile with compose.demo.env resolves: emulator and simulator, auth signing in against the emulator", async () => {
  const compose = await composeConfig("--env-file", `${root}/compose.demo.env`, "--profile", "demo");
  for (const demo of ["m365-emulator", "crm-simulator"]) {
    assert.deepEqual(compose.services[demo].profiles, ["demo"], `${demo} runs only in the demo profile`);
  }
  const auth = compose.services.auth.environment;
  assert.equal(auth.MS_GRAPH_BASE_URL, "https://m365-emulator:8443");
  assert.equal(JSON.parse(auth.MS_AUTHORITY_METADATA).issuer, "https://m365-emulator:8443/{tenantid}/v2.0");
  assert.ok(AuthConfigSchema.safeParse(auth).success, "auth's demo env parses");
  const seed = compose.services["m365-emulator"].environment.M365_SEED.replace("/app/", "../");
  await Deno.stat(new URL(seed, import.meta.url)); // the seed file the emulator container reads exists
});

Deno.test("the image's user owns every volume mount point the containers write to", async () => {
  const compose = await composeConfig("--env-file", `${root}/compose.demo.env`, "--profile", "demo");
  const dockerfile = await Deno.readTextFile(`${root}/Dockerfile`);
  const userAt = dockerfile.search(/^USER deno$/m);
  assert.ok(userAt > 0, "the image runs as the unprivileged deno user");
  const owned = /^RUN mkdir -p ([^&\n]+) && chown deno:deno ([^\n]+)$/m.exec(dockerfile.slice(0, userAt));
  assert.ok(owned, "mount points are made and given to deno before USER");
  const ownedDirs = new Set(owned[2]!.trim().split(/\s+/));
  type Volume = string | { target: string; read_only?: boolean };
  let checked = 0;
  for (const [name, svc] of Object.entries<{ build?: unknown; volumes?: Volume[] }>(compose.services)) {
    if (!svc.build) continue; // postgres and nats run their own images
    for (const v of svc.volumes ?? []) {
      // `source:target[:mode]` (docker-compose 1.x prints the short form) or the long form.
      const [target, readOnly] = typeof v === "string"
        ? [v.split(":")[1]!, v.split(":")[2] === "ro"]
        : [v.target, v.read_only === true];
      if (readOnly) continue;
      assert.ok(ownedDirs.has(target), `${name} writes ${target}, which the image's user must own`);
      checked++;
    }
  }
  assert.ok(checked >= 2, "the emulator's /tls and the demo's /data are among them");
});
