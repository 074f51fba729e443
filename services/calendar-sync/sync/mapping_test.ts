import assert from "node:assert/strict";

const assertEquals = <T>(a: T, b: T) => assert.deepStrictEqual(a, b);
import type { AppointmentFields } from "@app/shared/contract";
import { GraphEventSchema } from "./graph_event.ts";
import { canonicalToCrmFields, crmToCanonical } from "./crm_mapping.ts";
import { graphBodyOf, graphToCanonical, NO_CRM_DETAILS } from "./graph_mapping.ts";
import { descriptionOfBody } from "./body.ts";
import { reminderChoice, sameReminder } from "./reminder.ts";
import { epochOf, ianaZone, localOf, syncWindow, windowsZone } from "./time_zone.ts";
import type { OutlookItem } from "./types.ts";

const WINDOW = { start: "2026-01-01T00:00:00Z", end: "2027-12-31T00:00:00Z" };
const fields = (over: Partial<AppointmentFields> = {}): AppointmentFields => ({
  subject: "Viewing",
  location: "Via Roma 1",
  description: "Bring keys",
  start: { dateTime: "2026-03-29T09:30:00", timeZone: "Europe/Berlin" },
  end: { dateTime: "2026-03-29T10:30:00", timeZone: "Europe/Berlin" },
  allDay: false,
  organizerId: "giulia",
  participantIds: [],
  groupIds: [],
  contacts: [],
  resources: [],
  reminderMinutes: 15,
  private: false,
  cancelled: false,
  series: null,
  ...over,
});

function roundTrip(f: AppointmentFields, zoneOut = "UTC"): AppointmentFields {
  const c = crmToCanonical(f);
  const body = graphBodyOf(c, ["subject", "body", "location", "when", "reminder", "sensitivity", "recurrence"], {
    crmId: "a1",
    directory: new Map(),
  });
  // Graph answers in UTC (or the Prefer zone); all-day dates stay as written.
  const start = f.allDay
    ? body.start!
    : { dateTime: localOf(epochOf(body.start!.dateTime, f.start.timeZone), zoneOut), timeZone: zoneOut };
  const end = f.allDay
    ? body.end!
    : { dateTime: localOf(epochOf(body.end!.dateTime, f.start.timeZone), zoneOut), timeZone: zoneOut };
  const event = GraphEventSchema.parse({
    ...body,
    id: "e1",
    start: { ...start, timeZone: f.allDay ? zoneOut : start.timeZone },
    end: { ...end, timeZone: f.allDay ? zoneOut : end.timeZone },
    originalStartTimeZone: body.start!.timeZone,
  });
  const item: OutlookItem = { event, instances: [], stampedCrmId: "a1" };
  const back = graphToCanonical(item, {
    fallbackZone: "UTC",
    preferZone: f.start.timeZone,
    window: WINDOW,
    crm: { ...NO_CRM_DETAILS, organizerId: f.organizerId },
    baseSeries: null,
  });
  return canonicalToCrmFields(back, f.organizerId);
}

Deno.test("time_zone maps Windows and IANA names both ways", () => {
  assertEquals(ianaZone("W. Europe Standard Time", "UTC"), "Europe/Berlin");
  assertEquals(ianaZone("Europe/Rome", "UTC"), "Europe/Rome");
  assertEquals(ianaZone("UTC", "Europe/Rome"), "UTC");
  assertEquals(ianaZone("Nowhere Standard Time", "Europe/Rome"), "Europe/Rome");
  assertEquals(windowsZone("Europe/Berlin"), "W. Europe Standard Time");
  assertEquals(ianaZone(windowsZone("Pacific/Kiritimati"), "UTC"), "Pacific/Kiritimati");
  assertEquals(ianaZone(windowsZone("America/Adak"), "UTC"), "America/Adak");
});

Deno.test("crm → Graph → crm keeps a timed appointment across the spring DST jump (Berlin 2026-03-29)", () => {
  const f = fields();
  assertEquals(roundTrip(f), f);
  assertEquals(localOf(epochOf("2026-03-29T09:30:00", "Europe/Berlin"), "UTC"), "2026-03-29T07:30:00");
  assertEquals(localOf(epochOf("2026-03-28T09:30:00", "Europe/Berlin"), "UTC"), "2026-03-28T08:30:00");
});

Deno.test("crm → Graph → crm keeps a timed appointment in the autumn's repeated hour (New York)", () => {
  const f = fields({
    start: { dateTime: "2026-11-01T01:30:00", timeZone: "America/New_York" },
    end: { dateTime: "2026-11-01T03:00:00", timeZone: "America/New_York" },
  });
  assertEquals(roundTrip(f), f);
});

for (const zone of ["Pacific/Kiritimati", "America/Adak", "Pacific/Pago_Pago", "Asia/Kolkata"]) {
  Deno.test(`all-day dates never shift in ${zone}, whatever zone Graph answers in`, () => {
    const f = fields({
      allDay: true,
      start: { dateTime: "2026-12-31T00:00:00", timeZone: zone },
      end: { dateTime: "2027-01-02T00:00:00", timeZone: zone },
    });
    for (const out of ["UTC", "Pacific Standard Time", "Line Islands Standard Time"]) {
      assertEquals(roundTrip(f, out), f);
    }
  });
}

Deno.test("reminders round to the CRM's choices and an equivalent Outlook value is the same reminder", () => {
  assertEquals(reminderChoice(10), 15);
  assertEquals(reminderChoice(5), 0);
  assertEquals(reminderChoice(7), 0);
  assertEquals(reminderChoice(8), 15);
  assertEquals(reminderChoice(45), 60); // tie 30/60 → the earlier reminder
  assertEquals(reminderChoice(100_000), 30_240);
  assertEquals(reminderChoice(null), null);
  assertEquals(sameReminder(10, 15), true);
  assertEquals(sameReminder(10, 30), false);
  assertEquals(sameReminder(null, 0), false);
});

Deno.test("private maps to sensitivity; personal and confidential count as private", () => {
  const f = fields({ private: true });
  assertEquals(roundTrip(f).private, true);
  const c = crmToCanonical(f);
  assertEquals(graphBodyOf(c, ["sensitivity"], { crmId: "a", directory: new Map() }).sensitivity, "private");
});

Deno.test("the body block names contacts and is cut off again; HTML bodies read as text", () => {
  const c = crmToCanonical(fields({ contacts: [{ contactId: "c1", optional: true }], description: "Line 1\nLine 2" }));
  const body = graphBodyOf(c, ["body"], {
    crmId: "a",
    directory: new Map([["c1", { name: "Ada", email: "ada@x.it" }]]),
  });
  assertEquals(body.body!.content, "Line 1\nLine 2\n\n-- CRM --\nContact: Ada <ada@x.it> (optional)");
  assertEquals(descriptionOfBody(body.body!), "Line 1\nLine 2");
  assertEquals(
    descriptionOfBody({ contentType: "html", content: "<html><body><p>A &amp; B</p><p>C</p></body></html>" }),
    "A & B\nC",
  );
});

Deno.test("syncWindow starts at 00:00 of today − includePastDays in the user's zone (E3)", () => {
  const w = syncWindow("2026-07-10T22:30:00Z", 2, 365, "Europe/Berlin");
  assertEquals(w.start, "2026-07-08T22:00:00.000Z"); // 2026-07-11 00:00 Berlin is today → 09 00:00 local
  assertEquals(w.end, "2027-07-10T22:30:00.000Z");
});

Deno.test("sameField() compares records whatever their key order (a jsonb store reorders keys)", async () => {
  const { sameField } = await import("./merge.ts");
  const a = crmToCanonical(fields({
    series: {
      pattern: { type: "weekly", interval: 1, daysOfWeek: ["monday"], index: "first", firstDayOfWeek: "sunday" },
      range: { type: "numbered", startDate: "2026-03-30", numberOfOccurrences: 3 },
      exceptions: [{ originalStart: "2026-04-06T09:30:00", cancelled: false, override: { subject: "X" } }],
    },
    start: { dateTime: "2026-03-30T09:30:00", timeZone: "Europe/Berlin" },
    end: { dateTime: "2026-03-30T10:30:00", timeZone: "Europe/Berlin" },
  }));
  const reordered = JSON.parse(
    JSON.stringify(a),
    (_k, v) => v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v,
  );
  assert.notEqual(JSON.stringify(reordered), JSON.stringify(a));
  for (const f of ["series", "contacts", "resources", "when"] as const) assert.ok(sameField(f, a, reordered), f);
});
