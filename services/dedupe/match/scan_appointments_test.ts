import assert from "node:assert/strict";
import { type Appointment, AppointmentFieldsSchema } from "@app/shared/contract";
import { scanAppointments } from "./scan_appointments.ts";

let n = 0;
const apt = (f: Partial<Record<string, unknown>>): Appointment => ({
  ...AppointmentFieldsSchema.parse({ organizerId: "markus", ...f }),
  id: (f.id as string) ?? `a${++n}`,
  tenantId: "t1",
  version: 1,
  updatedAt: "2026-01-01T00:00:00Z",
});

Deno.test("scanAppointments() D1: one meeting entered in two zones across DST is one, with reasons", () => {
  const groups = scanAppointments([
    apt({
      id: "x",
      subject: "Notartermin Kaufvertrag",
      start: { dateTime: "2026-03-30T14:00", timeZone: "Europe/Berlin" },
      end: { dateTime: "2026-03-30T15:00", timeZone: "Europe/Berlin" },
      contacts: [{ contactId: "con-1" }],
    }),
    apt({
      id: "y",
      subject: "Notartermin Kaufvertrag ",
      // 13:00 in London is 14:00 in Berlin (both on summer time since 29 March).
      start: { dateTime: "2026-03-30T13:00", timeZone: "Europe/London" },
      end: { dateTime: "2026-03-30T14:00", timeZone: "Europe/London" },
      contacts: [{ contactId: "con-1" }],
    }),
  ], { groups: [] });
  assert.equal(groups.length, 1);
  assert.deepEqual(groups[0]!.recordIds, ["x", "y"]);
  const texts = groups[0]!.pairs[0]!.reasons.map((r) => r.text);
  assert.ok(texts.includes("same user: markus"));
  assert.ok(texts.some((t) => t.startsWith("same start and end")), texts.join());
  assert.ok(texts.includes("same contacts"));
});

Deno.test("scanAppointments() D1: one hour apart in wall-clock terms across a DST change is not one time", () => {
  const groups = scanAppointments([
    apt({
      subject: "Besichtigung",
      start: { dateTime: "2026-03-29T10:00", timeZone: "Europe/Berlin" },
      end: { dateTime: "2026-03-29T11:00", timeZone: "Europe/Berlin" },
    }),
    apt({
      subject: "Besichtigung",
      // 10:00 UTC on the DST day is 12:00 in Berlin: no overlap.
      start: { dateTime: "2026-03-29T10:00", timeZone: "UTC" },
      end: { dateTime: "2026-03-29T11:00", timeZone: "UTC" },
    }),
  ], { groups: [] });
  assert.deepEqual(groups, []);
});

Deno.test("scanAppointments() D1: different users, different subjects or cancelled copies are not proposed", () => {
  const at = {
    start: { dateTime: "2026-05-04T09:00", timeZone: "Europe/Rome" },
    end: { dateTime: "2026-05-04T10:00", timeZone: "Europe/Rome" },
  };
  assert.deepEqual(
    scanAppointments([apt({ ...at, subject: "Visita" }), apt({ ...at, subject: "Visita", organizerId: "sofia" })], {
      groups: [],
    }),
    [],
  );
  assert.deepEqual(
    scanAppointments([apt({ ...at, subject: "Visita" }), apt({ ...at, subject: "Firma contratto" })], { groups: [] }),
    [],
  );
  assert.deepEqual(
    scanAppointments([apt({ ...at, subject: "Visita" }), apt({ ...at, subject: "Visita", cancelled: true })], {
      groups: [],
    }),
    [],
  );
  // A user taking part through a group is the same user.
  const viaGroup = scanAppointments(
    [apt({ ...at, subject: "Visita" }), apt({ ...at, subject: "Visita", organizerId: "sofia", groupIds: ["vendite"] })],
    { groups: [{ id: "vendite", tenantId: "t1", name: "Vendite", memberIds: ["markus", "sofia"] }] },
  );
  assert.equal(viaGroup.length, 1);
});
