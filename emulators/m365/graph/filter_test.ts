import assert from "node:assert/strict";
import { evaluateFilter, parseFilter } from "./filter.ts";

const item = {
  displayName: "Pavel Bansky",
  emailAddresses: [{ address: "Pavel@Fabrikam.test" }],
  start: { dateTime: "2030-01-07T10:00:00.0000000" },
  singleValueExtendedProperties: [
    { id: "String {66f5a359-4659-4830-9070-00040ec6ac6e} Name CrmId", value: "CRM-42" },
    { id: "Integer {66f5a359-4659-4830-9070-00040ec6ac6e} Name Count", value: "7" },
  ],
};
const matches = (f: string) => evaluateFilter(parseFilter(f), item);

Deno.test("filter compares strings case-insensitively and supports and/or/not and string functions", () => {
  assert.ok(matches("displayName eq 'pavel bansky'"));
  assert.ok(matches("startswith(displayName,'Pav') and not (displayName eq 'x')"));
  assert.ok(matches("displayName eq 'x' or contains(displayName, 'BANS')"));
  assert.ok(!matches("displayName ne 'Pavel Bansky'"));
  assert.ok(matches("emailAddresses/any(a:a/address eq 'pavel@fabrikam.test')"));
});

Deno.test("filter on extended properties: name case-sensitive, guid and type case-insensitive, numeric cast", () => {
  const id = "String {66F5A359-4659-4830-9070-00040EC6AC6E} Name CrmId";
  assert.ok(matches(`singleValueExtendedProperties/Any(ep: ep/id eq '${id}' and ep/value eq 'crm-42')`));
  assert.ok(
    !matches(
      `singleValueExtendedProperties/Any(ep: ep/id eq '${id.replace("CrmId", "CRMID")}' and ep/value eq 'crm-42')`,
    ),
  );
  assert.ok(matches(
    "singleValueExtendedProperties/any(ep: ep/id eq 'Integer {66f5a359-4659-4830-9070-00040ec6ac6e} Name Count' and cast(ep/value, Edm.Int32) gt 5)",
  ));
});

Deno.test("filter compares zone-less date-times as UTC instants", () => {
  assert.ok(matches("start/dateTime ge '2030-01-07T09:59:00'"));
  assert.ok(!matches("start/dateTime lt 2030-01-07T10:00:00Z"));
});

Deno.test("a malformed filter is a Graph 400", () => {
  assert.throws(() => parseFilter("displayName eq"), /Invalid filter clause/);
  assert.throws(() => parseFilter("displayName eq 'unterminated"), /Invalid filter clause/);
  assert.throws(() => evaluateFilter(parseFilter("frobnicate(displayName)"), item), /unsupported function/);
});
