import assert from "node:assert/strict";
import { apptFields, World } from "./_test_world.ts";
import type { CalendarAction } from "./types.ts";

type Create = Extract<CalendarAction, { kind: "createInGraph" }>;
const creates = (w: World, u: string) =>
  w.run(u).pairs.flatMap((p) => p.actions).filter((a): a is Create => a.kind === "createInGraph");

function world(allowAttendees: boolean) {
  const w = new World(["giulia", "markus"]);
  w.settings = { ...w.settings, allowAttendees };
  w.contacts.set("c1", { name: "Ada Buyer", email: "ada@example.com" });
  w.contacts.set("c2", { name: "No Mail" });
  w.colleagues.set("markus@agency.example", "markus");
  return w;
}
const withContacts = {
  contacts: [{ contactId: "c1", optional: true }, { contactId: "c2", optional: false }],
  resources: [{ id: "r1", name: "Room 1", email: "room1@agency.example" }, { id: "r2", name: "Car" }],
  participantIds: ["giulia", "markus"],
};

Deno.test("planCalendar() never writes attendees by default: contacts and resources go into the body (E9, E10)", () => {
  const w = world(false);
  w.firstSync.set("giulia", false);
  w.crmCreate(apptFields(withContacts));
  const [c] = creates(w, "giulia");
  assert.equal(c!.withAttendees, false);
  assert.equal(c!.body.attendees, undefined);
  assert.match(c!.body.body!.content, /Contact: Ada Buyer <ada@example.com> \(optional\)/);
  assert.match(c!.body.body!.content, /Resource: Car/);
});

Deno.test("planCalendar() with the tenant switch invites only for CRM-created future appointments of the organizer after linking (E10)", () => {
  const w = world(true);
  w.run("giulia"); // first sync done: nothing there yet
  w.crmCreate(apptFields(withContacts));
  const [c] = creates(w, "giulia");
  assert.equal(c!.withAttendees, true);
  assert.deepEqual(c!.body.attendees, [
    { emailAddress: { address: "ada@example.com", name: "Ada Buyer" }, type: "optional" },
    { emailAddress: { address: "room1@agency.example", name: "Room 1" }, type: "resource" },
  ]);
  // Markus's own copy never invites again, and colleagues are never attendees (E12).
  w.run("markus");
  w.crmCreate(apptFields(withContacts));
  const [m] = creates(w, "markus");
  assert.equal(m!.withAttendees, false);
});

Deno.test("planCalendar() never invites on first sync (back-fill) or for past appointments, even with the switch (E10)", () => {
  const w = world(true);
  w.crmCreate(apptFields(withContacts)); // exists before the first sync
  assert.equal(creates(w, "giulia")[0]!.withAttendees, false);
  w.crmCreate(apptFields({
    ...withContacts,
    start: { dateTime: "2026-05-20T09:00:00", timeZone: "Europe/Berlin" },
    end: { dateTime: "2026-05-20T10:00:00", timeZone: "Europe/Berlin" },
  }));
  assert.equal(creates(w, "giulia")[0]!.withAttendees, false);
});

Deno.test("planCalendar() makes a meeting between two linked colleagues created in Outlook one CRM appointment (E12)", () => {
  const w = world(false);
  w.colleagues.set("giulia@agency.example", "giulia");
  const organizerCopy = w.graphCreate("giulia", {
    subject: "Team viewing",
    start: { dateTime: "2026-06-15T09:00:00", timeZone: "W. Europe Standard Time" },
    end: { dateTime: "2026-06-15T10:00:00", timeZone: "W. Europe Standard Time" },
    attendees: [{ emailAddress: { address: "markus@agency.example", name: "Markus" }, type: "required" }],
  });
  // Exchange puts an attendee copy with the same iCalUId into Markus's calendar.
  w.graphCreate("markus", {
    subject: "Team viewing",
    start: { dateTime: "2026-06-15T09:00:00", timeZone: "W. Europe Standard Time" },
    end: { dateTime: "2026-06-15T10:00:00", timeZone: "W. Europe Standard Time" },
    iCalUId: organizerCopy.iCalUId,
    isOrganizer: false,
    organizer: { emailAddress: { address: "giulia@agency.example", name: "Giulia" } },
  });
  const [markusCopy] = [...w.calendars.get("markus")!.values()];
  w.calendars.get("markus")!.set(markusCopy!.id, { ...markusCopy!, iCalUId: organizerCopy.iCalUId });
  // Markus syncs first: his copy waits for the organizer's.
  const held = w.run("markus");
  assert.equal(held.report.preview.held.length, 1);
  assert.equal(w.crm.size, 0);
  w.settle();
  assert.equal(w.crm.size, 1);
  const [a] = [...w.crm.values()];
  assert.deepEqual(a!.participantIds, ["giulia", "markus"]);
  assert.equal(a!.organizerId, "giulia");
  assert.equal(w.calendars.get("markus")!.size, 1, "no second copy in Markus's calendar");
  const row = [...w.links.get("markus")!.values()][0]!;
  assert.equal(row.attendeeCopy, true);
  assert.equal(row.crmId, a!.id);
  // The organizer renames it in Outlook: the CRM follows, Markus's attendee copy is never written by us.
  w.graphUpdate("giulia", organizerCopy.id, { subject: "Team viewing (moved)" });
  w.settle();
  assert.equal(w.crm.get(a!.id)!.subject, "Team viewing (moved)");
  assert.equal(w.settle(), 0);
});
