import assert from "node:assert/strict";
import { z } from "zod";
import { ConfigError } from "../errors/mod.ts";
import { BaseServiceConfigSchema, parseConfig, PortSchema } from "./config.ts";

const Schema = BaseServiceConfigSchema.extend({ PORT: PortSchema.default(8081), SECRET_KEY: z.string().min(32) });

Deno.test("parseConfig() lists every bad variable at once", () => {
  let err: unknown;
  try {
    parseConfig(Schema, {
      PORT: "eighty",
      DATABASE_URL: "mysql://x/y",
      NATS_PREFIX: "Bad-Prefix",
      LOG_LEVEL: "chatty",
    });
  } catch (e) {
    err = e;
  }
  assert.ok(err instanceof ConfigError);
  const paths = err.issues.map((i) => i.path).sort();
  assert.deepEqual(paths, ["DATABASE_URL", "LOG_LEVEL", "NATS_PREFIX", "PORT", "SECRET_KEY"]);
  for (const p of paths) assert.match(err.message, new RegExp(`${p}: `));
});

Deno.test("parseConfig() fills defaults and coerces numbers", () => {
  const c = parseConfig(Schema, { SECRET_KEY: "x".repeat(32), PORT: "9000" });
  assert.equal(c.PORT, 9000);
  assert.equal(c.NATS_URL, "nats://127.0.0.1:4222");
  assert.equal(c.LOG_LEVEL, "info");
  assert.equal(c.NATS_PREFIX, "");
});
