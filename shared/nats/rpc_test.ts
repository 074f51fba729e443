import assert from "node:assert/strict";
import { z } from "zod";
import {
  ConflictError,
  ForbiddenError,
  NeedsReconnectError,
  NotFoundError,
  NotLinkedError,
  RetryableError,
  UpstreamError,
  ValidationError,
} from "../errors/mod.ts";
import { Logger } from "../log/mod.ts";
import { captureLogs, connectTestNats, testNatsPrefix } from "../testing/mod.ts";
import { callRpc, fromRpcError, serveRpc, toRpcError } from "./rpc.ts";

const Req = z.object({ contactId: z.string().min(1), n: z.number().int() });
const Res = z.object({ doubled: z.number() });

async function withServer(fn: (call: (body: unknown) => Promise<z.infer<typeof Res>>) => Promise<void>) {
  const nc = await connectTestNats();
  const subject = `${testNatsPrefix("rpc")}.crm.rpc.contact.get`;
  const sub = serveRpc({
    nc,
    subject,
    queue: "test",
    request: Req,
    logger: new Logger("test"),
    handler: ({ contactId, n }) => {
      if (contactId === "missing") throw new NotFoundError(`contact ${contactId} not found`);
      if (contactId === "stale") throw new ConflictError("version_mismatch", "expected version 3, is 4");
      if (contactId === "busy") throw new RetryableError("try later", 2_500);
      if (contactId === "bug") throw new Error("secret internals");
      if (contactId === "unlinked") throw new NotLinkedError("no account");
      if (contactId === "revoked") throw new NeedsReconnectError("sign in again", "invalid_grant: consent revoked");
      if (contactId === "no-right") throw new ForbiddenError("right_not_granted", "no right");
      return Promise.resolve({ doubled: n * 2 });
    },
  });
  try {
    await captureLogs(() => fn((body) => callRpc(nc, subject, body, Res, { timeoutMs: 2_000 })));
  } finally {
    sub.unsubscribe();
    await nc.drain();
  }
}

Deno.test("callRpc() returns the parsed reply of serveRpc()", async () => {
  await withServer(async (call) => assert.deepEqual(await call({ contactId: "c1", n: 21 }), { doubled: 42 }));
});

Deno.test("serveRpc() answers a malformed request with validation_failed naming each field", async () => {
  await withServer(async (call) => {
    const err = await call({ contactId: "", n: "x" }).catch((e) => e);
    assert.ok(err instanceof ValidationError);
    assert.deepEqual(err.issues.map((i) => i.path).sort(), ["contactId", "n"]);
  });
});

Deno.test("callRpc() turns error replies back into typed errors and hides internals", async () => {
  await withServer(async (call) => {
    assert.ok((await call({ contactId: "missing", n: 1 }).catch((e) => e)) instanceof NotFoundError);
    const conflict = await call({ contactId: "stale", n: 1 }).catch((e) => e);
    assert.ok(conflict instanceof ConflictError);
    assert.equal(conflict.code, "version_mismatch");
    const busy = await call({ contactId: "busy", n: 1 }).catch((e) => e);
    assert.ok(busy instanceof RetryableError);
    assert.equal(busy.retryAfterMs, 2_500);
    const bug = await call({ contactId: "bug", n: 1 }).catch((e) => e);
    assert.equal(bug.code, "internal");
    assert.doesNotMatch(bug.message, /secret internals/);
  });
});

Deno.test("callRpc() turns auth's account errors back into NotLinkedError, NeedsReconnectError (with reason) and ForbiddenError", async () => {
  await withServer(async (call) => {
    assert.ok((await call({ contactId: "unlinked", n: 1 }).catch((e) => e)) instanceof NotLinkedError);
    const revoked = await call({ contactId: "revoked", n: 1 }).catch((e) => e);
    assert.ok(revoked instanceof NeedsReconnectError);
    assert.equal(revoked.code, "needs_reconnect");
    assert.equal(revoked.reason, "invalid_grant: consent revoked");
    const forbidden = await call({ contactId: "no-right", n: 1 }).catch((e) => e);
    assert.ok(forbidden instanceof ForbiddenError);
    assert.equal(forbidden.code, "right_not_granted");
  });
});

Deno.test("callRpc() without a responder fails as retryable instead of hanging", async () => {
  const nc = await connectTestNats();
  try {
    const err = await callRpc(nc, `${testNatsPrefix("rpc")}.nobody`, {}, Res, { timeoutMs: 500 }).catch((e) => e);
    assert.ok(err instanceof RetryableError);
  } finally {
    await nc.drain();
  }
});

Deno.test("fromRpcError() maps by the wire status, and the CRM contract's codes when a CRM sends none", () => {
  assert.ok(fromRpcError({ code: "quota_exceeded", message: "m", status: 403 }, "s") instanceof ForbiddenError);
  assert.ok(fromRpcError({ code: "anything_taken", message: "m", status: 409 }, "s") instanceof ConflictError);
  assert.ok(fromRpcError({ code: "version_mismatch", message: "m" }, "s") instanceof ConflictError);
  assert.ok(fromRpcError({ code: "not_found", message: "m" }, "s") instanceof NotFoundError);
  assert.ok(fromRpcError({ code: "weird", message: "m" }, "s") instanceof UpstreamError);
  const wire = toRpcError(new ForbiddenError("quota_exceeded", "no"));
  assert.deepEqual(wire, { code: "quota_exceeded", message: "no", status: 403 });
});

Deno.test("callRpc() gives up after its timeout when a responder takes the request and never answers", async () => {
  const nc = await connectTestNats();
  const subject = `${testNatsPrefix("rpc")}.crm.rpc.contact.get`;
  let received = 0;
  const silent = nc.subscribe(subject, { callback: () => void received++ }); // takes requests, answers none
  try {
    const err = await callRpc(nc, subject, { contactId: "c1", n: 1 }, Res, { timeoutMs: 300 }).catch((e) => e);
    // No clock race: the error names the wait that gave up, so an ignored timeout (callRpc's 5 s
    // default, or the client's own) fails here however busy the machine is.
    assert.ok(err instanceof RetryableError, String(err));
    assert.match(err.message, /no answer within 300 ms/);
    assert.equal(received, 1, "the request reached a responder: a timeout, not 'no responders'");
  } finally {
    silent.unsubscribe();
    await nc.drain();
  }
});

Deno.test("callRpc() waits as long as its timeout asks, past the NATS client's 1 s default, for a slow responder", async () => {
  const nc = await connectTestNats();
  const subject = `${testNatsPrefix("rpc")}.crm.rpc.contact.get`;
  const pending = new Set<ReturnType<typeof setTimeout>>();
  // A responder that answers after 1.5 s: a caller that dropped its timeout (the client's default is
  // 1 s) gives up first; one that honours its 10 s waits, with room to spare on a busy machine.
  const slow = nc.subscribe(subject, {
    callback: (_err, msg) => {
      const t = setTimeout(() => {
        pending.delete(t);
        msg.respond(JSON.stringify({ ok: true, data: { doubled: 2 } }));
      }, 1_500);
      pending.add(t);
    },
  });
  try {
    const reply = await callRpc(nc, subject, { contactId: "c1", n: 1 }, Res, { timeoutMs: 10_000 });
    assert.deepEqual(reply, { doubled: 2 });
  } finally {
    pending.forEach(clearTimeout);
    slow.unsubscribe();
    await nc.drain();
  }
});
