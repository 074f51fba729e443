import assert from "node:assert/strict";
import { parsePrefer } from "./prefer.ts";

Deno.test("Prefer parsing reads max page size, immutable ids and time zone from one or joined headers", () => {
  const p = parsePrefer('odata.maxpagesize=50, IdType="ImmutableId", outlook.timezone="Pacific Standard Time, US"');
  assert.equal(p.maxPageSize, 50);
  assert.equal(p.immutableId, true);
  assert.equal(p.timeZone, "Pacific Standard Time, US");
  const none = parsePrefer(undefined);
  assert.equal(none.maxPageSize, undefined);
  assert.equal(none.immutableId, false);
  assert.equal(parsePrefer("odata.maxpagesize=abc").maxPageSize, undefined);
});
