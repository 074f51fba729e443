// Every service's app refuses oversized bodies (413) and non-strict JSON (unknown keys, empty
// updates) before a handler runs (issue 12: a 20 MB body with one unknown key switched sync off).
import assert from "node:assert/strict";
import { createRoute, z } from "@hono/zod-openapi";
import { Logger } from "../log/mod.ts";
import { createServiceApp } from "./app.ts";
import { ServiceMetrics } from "./metrics.ts";
import { unknownKeys } from "./strict_json.ts";

const Body = z.object({
  contacts: z.object({ enabled: z.boolean(), folderId: z.string().nullable().default(null) }).optional(),
  tags: z.array(z.object({ name: z.string() })).optional(),
  labels: z.record(z.string(), z.string()).optional(),
});

function testApp() {
  const app = createServiceApp({
    service: "test",
    version: "0",
    description: "test",
    logger: new Logger("test", "error"),
    metrics: new ServiceMetrics("test"),
    readiness: [],
    bodyLimitBytes: 1_000,
  });
  const handled: unknown[] = [];
  for (const method of ["put", "post"] as const) {
    app.openapi(
      createRoute({
        method,
        path: "/v1/things",
        request: { body: { required: true, content: { "application/json": { schema: Body } } } },
        responses: { 200: { description: "ok" } },
      }),
      (c) => {
        handled.push(c.req.valid("json"));
        return c.json({ ok: true }, 200);
      },
    );
  }
  const send = async (method: string, body: BodyInit, headers: Record<string, string> = {}) => {
    const res = await app.request("/v1/things", {
      method,
      body,
      headers: { "content-type": "application/json", ...headers },
    });
    return { status: res.status, type: res.headers.get("content-type"), body: await res.json() };
  };
  return { send, handled };
}

const pathsOf = (body: { issues?: Array<{ path: string }> }) => body.issues?.map((i) => i.path);

Deno.test("createServiceApp() answers 413 problem+json for a body over the limit, with or without Content-Length", async () => {
  const { send, handled } = testApp();
  const big = JSON.stringify({ contacts: { enabled: true }, padding: "x".repeat(5_000) });
  const declared = await send("PUT", big);
  assert.equal(declared.status, 413);
  assert.equal(declared.type, "application/problem+json");
  assert.equal(declared.body.code, "body_too_large");
  const chunks = [new TextEncoder().encode(big)];
  const streamed = await send("PUT", ReadableStream.from(chunks)); // sent chunked: no Content-Length
  assert.equal(streamed.status, 413);
  assert.deepEqual(handled, []);
});

Deno.test("createServiceApp() refuses unknown JSON keys at any depth, naming each", async () => {
  const { send, handled } = testApp();
  const top = await send("PUT", JSON.stringify({ contacts: { enabled: false }, contactz: {} }));
  assert.equal(top.status, 400);
  assert.equal(top.body.code, "validation_failed");
  assert.deepEqual(pathsOf(top.body), ["contactz"]);
  const nested = await send("POST", JSON.stringify({ contacts: { enabled: true, folderid: "x" }, lables: {} }));
  assert.equal(nested.status, 400);
  assert.deepEqual(pathsOf(nested.body), ["contacts.folderid", "lables"]);
  const inArray = await send("POST", JSON.stringify({ tags: [{ name: "a" }, { name: "b", colour: "red" }] }));
  assert.deepEqual(pathsOf(inArray.body), ["tags.1.colour"]);
  assert.deepEqual(handled, []);
});

Deno.test("createServiceApp() refuses an empty PUT, and accepts strict bodies with records and defaults", async () => {
  const { send, handled } = testApp();
  const empty = await send("PUT", "{}");
  assert.equal(empty.status, 400);
  assert.deepEqual(pathsOf(empty.body), ["(root)"]);
  assert.match(empty.body.detail, /empty update/);
  assert.equal((await send("POST", "{}")).status, 200, "a POST may carry nothing to choose");
  const ok = await send("PUT", JSON.stringify({ contacts: { enabled: true }, labels: { any: "key" } }));
  assert.equal(ok.status, 200);
  assert.deepEqual(handled.at(-1), { contacts: { enabled: true, folderId: null }, labels: { any: "key" } });
});

Deno.test("unknownKeys() compares what was sent with what the schema kept", () => {
  assert.deepEqual(unknownKeys({ a: 1, b: { c: 2, d: 3 } }, { a: 1, b: { c: 2 } }), ["b.d"]);
  assert.deepEqual(unknownKeys([{ a: 1 }, { a: 1, z: 0 }], [{ a: 1 }, { a: 1 }]), ["1.z"]);
  assert.deepEqual(unknownKeys({ a: 1 }, { a: 1, defaulted: true }), []);
  assert.deepEqual(unknownKeys("text", "text"), []);
});
