// P4: compose.yaml runs the same system, with the env names each service's config.ts reads.
import assert from "node:assert/strict";
import { parse } from "yaml";
import { AuthConfigSchema } from "@app/auth/config";
import { ContactsSyncConfigSchema } from "@app/contacts-sync/config";
import { CalendarSyncConfigSchema } from "@app/calendar-sync/config";
import { DedupeConfigSchema } from "@app/dedupe/config";

// Compose substitutes `${VAR:-default}` before parsing; do the same with every default.
const text = (await Deno.readTextFile(new URL("../compose.yaml", import.meta.url)))
  .replace(/\$\{\w+:-([^}]*)\}/g, "$1");
const compose = parse(text, { merge: true });
const schemas = {
  auth: AuthConfigSchema,
  "contacts-sync": ContactsSyncConfigSchema,
  "calendar-sync": CalendarSyncConfigSchema,
  dedupe: DedupeConfigSchema,
};

Deno.test("compose.yaml runs every service with only env names its config.ts knows, and a health check", async () => {
  for (const [name, schema] of Object.entries(schemas)) {
    const svc = compose.services[name];
    assert.ok(svc, `service ${name} in compose.yaml`);
    // DENO_CERT is read by the Deno runtime itself (the demo's emulator CA), not by config.ts.
    const known = new Set([...Object.keys(schema.shape), "DENO_CERT"]);
    for (const key of Object.keys(svc.environment)) {
      assert.ok(known.has(key), `${name}: ${key} is not read by config.ts`);
    }
    const parsed = schema.safeParse(svc.environment);
    assert.ok(parsed.success, `${name}: compose env does not parse: ${JSON.stringify(parsed.error?.issues)}`);
    assert.match(svc.healthcheck.test.join(" "), /readyz/);
    assert.deepEqual(svc.command, [`services/${name}/main.ts`]);
    assert.deepEqual(Object.keys(svc.depends_on).sort(), ["nats", "postgres"]);
  }
  assert.match(compose.services.nats.command.join(" "), /-js/);
  assert.ok(compose.volumes.natsdata !== undefined, "JetStream keeps its data in a volume");
  for (const demo of ["m365-emulator", "crm-simulator"]) {
    assert.deepEqual(compose.services[demo].profiles, ["demo"], `${demo} runs only in the demo profile`);
  }
  const seed = compose.services["m365-emulator"].environment.M365_SEED.replace("/app/", "../");
  await Deno.stat(new URL(seed, import.meta.url)); // the seed file the emulator container reads exists
});
