// P4: the README's start command brings every service to ready within 60 s and stops cleanly on Ctrl-C.
import assert from "node:assert/strict";
import { connectTestNats, createTestDatabase, deleteTestStreams, testNatsPrefix } from "@app/shared/testing";

const root = new URL("..", import.meta.url).pathname;

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

Deno.test({
  name: "deno task start brings all services to ready within 60 s and stops cleanly on SIGINT",
  sanitizeResources: false, // the child's pipes are read to the end below; Deno counts them until GC
  fn: async () => {
    const db = await createTestDatabase("start");
    await db.drop(); // start must create its database itself
    const prefix = testNatsPrefix("start");
    const ports = {
      AUTH_PORT: freePort(),
      CONTACTS_SYNC_PORT: freePort(),
      CALENDAR_SYNC_PORT: freePort(),
      DEDUPE_PORT: freePort(),
    };
    const began = Date.now();
    const child = new Deno.Command(Deno.execPath(), {
      args: ["task", "start"],
      cwd: root,
      env: {
        DATABASE_URL: db.url,
        NATS_PREFIX: prefix,
        ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])),
      },
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const output: string[] = [];
    const readAll = async (s: ReadableStream<Uint8Array>) => {
      for await (const chunk of s.pipeThrough(new TextDecoderStream())) output.push(chunk);
    };
    const reading = Promise.all([readAll(child.stdout), readAll(child.stderr)]);
    let readyError: unknown;
    try {
      while (!output.join("").includes("[start] ready:")) {
        assert.ok(Date.now() - began < 60_000, `not ready within 60 s:\n${output.join("").slice(-3000)}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      for (const port of Object.values(ports)) {
        const res = await fetch(`http://127.0.0.1:${port}/readyz`);
        assert.equal(res.status, 200);
        await res.body?.cancel();
      }
    } catch (err) {
      readyError = err;
    }
    child.kill("SIGINT");
    const status = await child.status;
    await reading;
    await db.drop();
    const nc = await connectTestNats();
    await deleteTestStreams(nc, prefix);
    await nc.drain();
    if (readyError) throw readyError;
    const text = output.join("");
    assert.equal(status.code, 0, text.slice(-2000));
    assert.match(text, /\[start\] stopped/);
    assert.equal(
      (text.match(/"msg":"stopped","outcome":"stopped"/g) ?? []).length,
      4,
      "each service stopped gracefully",
    );
    for (const port of Object.values(ports)) {
      await assert.rejects(fetch(`http://127.0.0.1:${port}/healthz`), "nothing listens after stop");
    }
  },
});
