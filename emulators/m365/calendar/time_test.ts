import assert from "node:assert/strict";
import fc from "fast-check";
import {
  formatGraphDateTime,
  formatUtcInstant,
  instantToDateTimeTimeZone,
  parseDateTimeTimeZone,
  parseGraphDateTime,
  preferredTimeZone,
  resolveZone,
  responseZone,
  wallToInstant,
  windowsZoneName,
} from "./time.ts";
import { CalendarError } from "./errors.ts";

Deno.test("parseGraphDateTime() reads seven fractional digits and formatGraphDateTime() writes them back", () => {
  const t = parseGraphDateTime("2017-04-15T11:00:00.1234567");
  assert.ok(t);
  assert.equal(formatGraphDateTime(t), "2017-04-15T11:00:00.1234567");
  assert.equal(formatGraphDateTime(parseGraphDateTime("2017-04-15T11:00")!), "2017-04-15T11:00:00.0000000");
  assert.equal(formatGraphDateTime(parseGraphDateTime("2017-04-15")!), "2017-04-15T00:00:00.0000000");
  assert.equal(formatGraphDateTime(parseGraphDateTime("2017-04-15T11:00:00Z")!), "2017-04-15T11:00:00.0000000");
});

Deno.test("parseGraphDateTime() refuses impossible dates and foreign formats", () => {
  for (const bad of ["2017-13-01T00:00:00", "2017-02-30T00:00:00", "15/04/2017", "2017-04-15T11:00:00.12345678", ""]) {
    assert.equal(parseGraphDateTime(bad), undefined, bad);
  }
});

Deno.test("formatGraphDateTime() round-trips any wall-clock time at 100 ns precision", () => {
  fc.assert(
    fc.property(fc.date({ min: new Date("1601-01-01"), max: new Date("9999-12-31"), noInvalidDate: true }), (d) => {
      const wall = Temporal.Instant.fromEpochMilliseconds(d.getTime()).toZonedDateTimeISO("UTC").toPlainDateTime();
      const text = formatGraphDateTime(wall);
      assert.match(text, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}$/);
      assert.ok(parseGraphDateTime(text)!.equals(wall));
    }),
  );
});

Deno.test("resolveZone() maps Windows names to IANA and accepts IANA and UTC spellings", () => {
  assert.deepEqual(resolveZone("Pacific Standard Time"), {
    name: "Pacific Standard Time",
    iana: "America/Los_Angeles",
  });
  assert.deepEqual(resolveZone("W. Europe Standard Time"), { name: "W. Europe Standard Time", iana: "Europe/Berlin" });
  assert.deepEqual(resolveZone("Europe/Berlin"), { name: "Europe/Berlin", iana: "Europe/Berlin" });
  assert.equal(resolveZone("UTC")?.iana, "UTC");
  assert.equal(resolveZone("tzone://Microsoft/Utc")?.iana, "UTC");
  assert.equal(resolveZone("Mars Standard Time"), undefined);
  assert.equal(resolveZone(""), undefined);
});

Deno.test("windowsZoneName() gives the Windows name Outlook shows for an IANA zone", () => {
  assert.equal(windowsZoneName("Europe/Berlin"), "W. Europe Standard Time");
  assert.equal(windowsZoneName("America/Los_Angeles"), "Pacific Standard Time");
  assert.equal(windowsZoneName("UTC"), "UTC");
});

Deno.test("wallToInstant() keeps 09:00 Berlin at 09:00 on both sides of the spring DST change", () => {
  const before = wallToInstant(Temporal.PlainDateTime.from("2025-03-24T09:00"), "Europe/Berlin");
  const after = wallToInstant(Temporal.PlainDateTime.from("2025-03-31T09:00"), "Europe/Berlin");
  assert.equal(before.toString(), "2025-03-24T08:00:00Z");
  assert.equal(after.toString(), "2025-03-31T07:00:00Z");
});

Deno.test("wallToInstant() moves a time skipped by DST forward and takes the earlier of a repeated time", () => {
  assert.equal(
    wallToInstant(Temporal.PlainDateTime.from("2025-03-30T02:30"), "Europe/Berlin").toString(),
    "2025-03-30T01:30:00Z",
  );
  assert.equal(
    wallToInstant(Temporal.PlainDateTime.from("2025-10-26T02:30"), "Europe/Berlin").toString(),
    "2025-10-26T00:30:00Z",
  );
});

Deno.test("instantToDateTimeTimeZone() renders in the zone under the name the client used", () => {
  const instant = Temporal.Instant.from("2017-04-15T18:00:00Z");
  const zone = resolveZone("Pacific Standard Time")!;
  assert.deepEqual(instantToDateTimeTimeZone(instant, zone), {
    dateTime: "2017-04-15T11:00:00.0000000",
    timeZone: "Pacific Standard Time",
  });
  assert.equal(formatUtcInstant(instant), "2017-04-15T18:00:00.0000000Z");
});

Deno.test("preferredTimeZone() finds outlook.timezone among other preferences", () => {
  assert.equal(preferredTimeZone('outlook.timezone="Pacific Standard Time"'), "Pacific Standard Time");
  assert.equal(
    preferredTimeZone('odata.maxpagesize=10, outlook.timezone="W. Europe Standard Time"'),
    "W. Europe Standard Time",
  );
  assert.equal(preferredTimeZone('IdType="ImmutableId", outlook.timezone=UTC'), "UTC");
  assert.equal(preferredTimeZone("odata.maxpagesize=10"), undefined);
  assert.equal(preferredTimeZone(null), undefined);
});

Deno.test("responseZone() falls back to UTC and reports whether the preference was applied", () => {
  assert.deepEqual(responseZone('outlook.timezone="Pacific Standard Time"'), {
    zone: { name: "Pacific Standard Time", iana: "America/Los_Angeles" },
    applied: true,
  });
  assert.deepEqual(responseZone(undefined), { zone: { name: "UTC", iana: "UTC" }, applied: false });
  assert.equal(responseZone('outlook.timezone="Nowhere"').applied, false);
});

Deno.test("parseDateTimeTimeZone() answers 400 for an unknown zone or an unreadable dateTime", () => {
  assert.throws(
    () => parseDateTimeTimeZone({ dateTime: "2025-01-01T10:00:00", timeZone: "Nowhere" }, "start"),
    (e) => e instanceof CalendarError && e.status === 400 && e.code === "TimeZoneNotSupportedException",
  );
  assert.throws(
    () => parseDateTimeTimeZone({ dateTime: "01.01.2025", timeZone: "UTC" }, "start"),
    (e) => e instanceof CalendarError && e.status === 400,
  );
  const ok = parseDateTimeTimeZone({ dateTime: "2025-01-01T10:00:00", timeZone: "W. Europe Standard Time" }, "start");
  assert.equal(ok.zone.iana, "Europe/Berlin");
});
