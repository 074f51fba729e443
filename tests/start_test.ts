// P4: the README's start command brings every service to ready and stops cleanly on Ctrl-C. (How
// fast is for benchmarks; here a generous timeout only bounds a start that hangs.)
import assert from "node:assert/strict";
import { freePort, isolatedInfra, waitFor } from "@app/shared/testing";

const root = new URL("..", import.meta.url).pathname;

Deno.test({
  name: "deno task start brings all services to ready, runs the demo, and stops cleanly on SIGINT (P4)",
  sanitizeResources: false, // the child's pipes are read to the end below; Deno counts them until GC
  fn: async () => {
    await using infra = await isolatedInfra("start");
    const { db, prefix } = infra;
    await db.drop(); // start must create its database itself
    const ports = {
      AUTH_PORT: freePort(),
      CONTACTS_SYNC_PORT: freePort(),
      CALENDAR_SYNC_PORT: freePort(),
      M365_PORT: freePort(),
      CRM_PORT: freePort(),
      DEDUPE_PORT: freePort(),
    };
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
    let exited = false;
    child.status.then(() => (exited = true));
    let readyError: unknown;
    try {
      const outcome = await waitFor(
        "start to report every service ready (or to exit)",
        () => output.join("").includes("[start] press Ctrl-C to stop") ? "ready" : exited ? "exited" : false,
        { timeoutMs: 180_000 },
      );
      assert.equal(outcome, "ready", `start exited before it was ready:\n${output.join("").slice(-3000)}`);
      for (const port of [ports.AUTH_PORT, ports.CONTACTS_SYNC_PORT, ports.CALENDAR_SYNC_PORT, ports.DEDUPE_PORT]) {
        const res = await fetch(`http://127.0.0.1:${port}/readyz`);
        assert.equal(res.status, 200);
        await res.body?.cancel();
      }
      // Demo mode (no Microsoft credentials): the seeded agency reaches the agents' Outlook.
      assert.match(output.join(""), /demo tenant "demo", API key: csk_/);
      await waitFor("the demo contacts in Giulia's Outlook", async () => {
        const res = await fetch(
          `https://127.0.0.1:${ports.M365_PORT}/_admin/users/giulia@immobilien-demo.example/contacts`,
        );
        return res.ok && (await res.json()).value.length > 0;
      }, { timeoutMs: 30_000 });
    } catch (err) {
      readyError = err;
    }
    child.kill("SIGINT");
    const status = await child.status;
    await reading;
    await Deno.remove(`${root}/.local/demo-${prefix}`, { recursive: true }).catch(() => {});
    if (readyError) throw readyError;
    const text = output.join("");
    assert.equal(status.code, 0, text.slice(-2000));
    assert.match(text, /\[start\] stopped/);
    for (const service of ["auth", "contacts-sync", "calendar-sync", "dedupe"]) {
      assert.ok(
        text.includes(`"service":"${service}","msg":"stopped","outcome":"stopped"`),
        `${service} stopped gracefully`,
      );
    }
    for (const port of Object.values(ports)) {
      await assert.rejects(fetch(`http://127.0.0.1:${port}/healthz`), `nothing listens on ${port} after stop`);
    }
  },
});
