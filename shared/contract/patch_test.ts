import assert from "node:assert/strict";
import { UpdateAppointmentRequestSchema, UpdateContactRequestSchema } from "./crm_rpc.ts";

const write = { tenantId: "t1", idempotencyKey: "key-00000001" };

Deno.test("UpdateContactRequestSchema keeps only the fields sent, so a patch never blanks the others", () => {
  const parsed = UpdateContactRequestSchema.parse({ ...write, contactId: "c1", fields: { givenName: "Anna" } });
  assert.deepEqual(parsed.fields, { givenName: "Anna" });
});

Deno.test("UpdateContactRequestSchema still applies defaults inside a field that was sent", () => {
  const parsed = UpdateContactRequestSchema.parse({
    ...write,
    contactId: "c1",
    fields: { emails: [{ address: "anna@example.com" }] },
  });
  assert.deepEqual(parsed.fields, { emails: [{ address: "anna@example.com", kind: "work" }] });
});

Deno.test("UpdateAppointmentRequestSchema keeps only the fields sent and validates them", () => {
  const ok = UpdateAppointmentRequestSchema.parse({ ...write, appointmentId: "a1", fields: { subject: "Viewing" } });
  assert.deepEqual(ok.fields, { subject: "Viewing" });
  const bad = UpdateAppointmentRequestSchema.safeParse({
    ...write,
    appointmentId: "a1",
    fields: { reminderMinutes: 7 },
  });
  assert.equal(bad.success, false);
  assert.deepEqual(bad.error?.issues.map((i) => i.path.join(".")), ["fields.reminderMinutes"]);
});
