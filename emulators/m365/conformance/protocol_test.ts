// Conformance: protocol-level behaviour — JSON batching, throttling, errors, immutable ids — from
// the concept pages' examples.
import assert from "node:assert/strict";
import { assertDocShape, ERROR_SHAPE, type Json, startDocBed } from "./doc_shape.ts";

const ODATA_JSON = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";

Deno.test("json-batching.md: relative urls with or without '/', a 405 item, and each item's documented headers", async () => {
  await using bed = await startDocBed();
  await bed.call("POST", "/me/contacts", { body: { givenName: "Lynne", surname: "Robbins" } });
  const res = await bed.call("POST", "/$batch", {
    body: {
      requests: [
        { id: "1", method: "GET", url: "/me/contacts" },
        {
          id: "5",
          method: "GET",
          url: "me/contacts?$select=id,displayName",
          headers: { ConsistencyLevel: "eventual" },
        },
        // A method the resource does not take; headers and an empty body as the page's item 4.
        { id: "4", method: "POST", url: "/me/calendarView", body: {}, headers: { "Content-Type": "application/json" } },
      ],
    },
  });
  assert.equal(res.status, 200);
  const byId = new Map((res.body.responses as Json[]).map((r) => [r.id, r]));
  const ok = byId.get("1")!;
  assert.equal(ok.status, 200);
  assert.deepEqual(
    { ...(ok.headers as Json), "Preference-Applied": undefined },
    {
      "Cache-Control": "no-cache",
      "OData-Version": "4.0",
      "Content-Type": ODATA_JSON,
      "Preference-Applied": undefined,
    },
  );
  const selected = byId.get("5")!;
  assert.equal(selected.status, 200, "a url without the leading '/' works as in the page's item 5");
  assert.match((selected.body as Json)["@odata.context"] as string, /contacts\(id,displayName\)$/);
  assert.deepEqual(Object.keys(((selected.body as Json).value as Json[])[0]!).sort(), [
    "@odata.etag",
    "displayName",
    "id",
  ]);
  const refused = byId.get("4")!;
  assert.equal(refused.status, 405);
  assertDocShape(refused.body, ERROR_SHAPE);
  assert.deepEqual(
    [(refused.body as typeof ERROR_SHAPE).error.code, (refused.body as typeof ERROR_SHAPE).error.message],
    ["Request_BadRequest", "Specified HTTP method is not allowed for the request target."],
  );
  assert.equal((refused.headers as Json)["Cache-Control"], "no-cache");
});

Deno.test("json-batching.md: a duplicate id fails the whole batch with 400; a failed dependency answers 424", async () => {
  await using bed = await startDocBed();
  const dup = await bed.call("POST", "/$batch", {
    body: {
      requests: [{ id: "a", method: "GET", url: "/me/contacts" }, { id: "A", method: "GET", url: "/me/contacts" }],
    },
  });
  assert.equal(dup.status, 400, "ids are not case-sensitive");
  assertDocShape(dup.body, ERROR_SHAPE);
  const chained = await bed.call("POST", "/$batch", {
    body: {
      requests: [
        { id: "1", method: "GET", url: "/me/contacts/AAMkAnone=" },
        { id: "2", dependsOn: ["1"], method: "GET", url: "/me/contacts" },
      ],
    },
  });
  const statuses = Object.fromEntries((chained.body.responses as Json[]).map((r) => [r.id, r.status]));
  assert.deepEqual(statuses, { "1": 404, "2": 424 });
});

Deno.test("throttling.md: a 429 has Retry-After in whole seconds and the sample's error body", async () => {
  await using bed = await startDocBed({ config: { limits: { requestsPerWindow: 1 } } });
  await bed.call("GET", "/me/contacts");
  const res = await bed.call("GET", "/me/contacts");
  assert.equal(res.status, 429);
  assert.match(res.headers.get("Retry-After") ?? "", /^[1-9]\d*$/);
  assertDocShape(res.body, {
    error: {
      code: "TooManyRequests",
      innerError: {
        code: "429",
        date: "2020-08-18T12:51:51",
        message: "Please retry after",
        "request-id": "94fb3b52-452a-4535-a601-69e0a90e3aa2",
        status: "429",
      },
      message: "Please retry again later.",
    },
  });
  const error = res.body.error as Json;
  assert.equal(error.code, "TooManyRequests");
  assert.equal(error.message, "Please retry again later.");
  assert.deepEqual(
    [(error.innerError as Json).code, (error.innerError as Json).message, (error.innerError as Json).status],
    ["429", "Please retry after", "429"],
  );
  assert.equal(res.headers.get("x-ms-emulator-retry-after-ms"), null, "no header real Graph never sends");
});

Deno.test("errors.md: a missing item is 404 with code, message and innerError date and ids; request-id is echoed", async () => {
  await using bed = await startDocBed();
  const res = await bed.call("GET", "/me/contacts/AAMkAmissing=", { headers: { "client-request-id": "abc-123" } });
  assert.equal(res.status, 404);
  assertDocShape(res.body, ERROR_SHAPE, { exact: true });
  const inner = (res.body.error as Json).innerError as Json;
  assert.match(inner.date as string, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/, "no fraction, no zone designator");
  assert.equal(inner["client-request-id"], "abc-123");
  assert.equal(res.headers.get("request-id"), inner["request-id"]);
  assert.equal(res.headers.get("client-request-id"), "abc-123");
});

Deno.test("outlook-immutable-id.md: Prefer IdType=ImmutableId gives immutable ids and says so for contacts and events alike", async () => {
  await using bed = await startDocBed();
  const prefer = { Prefer: 'IdType="ImmutableId"' };
  const contact = await bed.call("POST", "/me/contacts", { headers: prefer, body: { givenName: "Imm" } });
  const event = await bed.call("POST", "/me/events", {
    headers: prefer,
    body: {
      subject: "Imm",
      start: { dateTime: "2025-03-05T10:00:00", timeZone: "UTC" },
      end: { dateTime: "2025-03-05T11:00:00", timeZone: "UTC" },
    },
  });
  for (const [path, created] of [["/me/contacts", contact], ["/me/events", event]] as const) {
    assert.equal(created.headers.get("Preference-Applied"), 'IdType="ImmutableId"', `${path} create`);
    const regular = await bed.call("GET", path);
    const immutable = await bed.call("GET", path, { headers: prefer });
    assert.equal(regular.headers.get("Preference-Applied"), null, `${path} without the preference`);
    assert.equal(immutable.headers.get("Preference-Applied"), 'IdType="ImmutableId"', `${path} list`);
    assert.notEqual((regular.body.value as Json[])[0]!.id, (immutable.body.value as Json[])[0]!.id);
    assert.equal((immutable.body.value as Json[])[0]!.id, created.body.id);
    const paged = await bed.call("GET", path, { headers: { Prefer: 'IdType="ImmutableId", odata.maxpagesize=5' } });
    assert.deepEqual(
      new Set(paged.headers.get("Preference-Applied")?.split(", ")),
      new Set(['IdType="ImmutableId"', "odata.maxpagesize=5"]),
      "both in one header",
    );
  }
});
