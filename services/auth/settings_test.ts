// A4, A5: the user picks a calendar and a contact folder read from the linked account; settings
// are validated against the schema and against the mailbox.
import assert from "node:assert/strict";
import { DEFAULT_CONTACT_FOLDER_ID } from "@app/shared/contract";
import { createGraphClient } from "@app/shared/graph";
import { captureLogs } from "@app/shared/testing";
import { assertNoTokenIn, ofType, startAuthWorld } from "./testdata/world.ts";

Deno.test("calendars and contact folders come from the account; settings are validated and published", async (t) => {
  let issued: string[] = [];
  const { lines } = await captureLogs(async () => {
    const w = await startAuthWorld("authsettings", { alpha: true });
    const key = w.keys.alpha!;
    try {
      await w.call(key, "PUT", "/v1/users/anna/sync-right", { granted: true });
      await w.link(key, "anna", "adele@contoso.test");
      const { accessToken } = await w.token("alpha", "anna");
      const graph = createGraphClient({ baseUrl: w.emu.url, getAccessToken: () => Promise.resolve(accessToken) });
      const folders = async () => (await w.call(key, "GET", "/v1/users/anna/contact-folders")).body.items;

      await t.step(
        "the default contact folder is listed by its real id, read by its well-known name (A4)",
        async () => {
          // Graph answers /me/contactFolders/contacts even for an empty mailbox, so the id is never the alias.
          const [first] = await folders();
          assert.equal(first.name, "Contacts");
          assert.equal(first.isDefault, true);
          assert.notEqual(first.id, DEFAULT_CONTACT_FOLDER_ID);
          const contact = await graph.api("/me/contacts").post({ givenName: "Olga" });
          const [byContact] = await folders();
          assert.deepEqual(byContact, { id: contact.parentFolderId, name: "Contacts", isDefault: true });
          assert.equal(first.id, contact.parentFolderId);
          await graph.api(`/me/contacts/${contact.id}`).delete();
          const owners = await graph.api("/me/contactFolders").post({ displayName: "Owners" });
          assert.deepEqual(await folders(), [
            { id: contact.parentFolderId, name: "Contacts", isDefault: true },
            { id: owners.id, name: "Owners", isDefault: false },
          ]);
        },
      );

      const viewings = await graph.api("/me/calendars").post({ name: "Viewings" });
      const defaultFolder = (await folders())[0].id as string;

      await t.step("calendars list the primary one first (A4)", async () => {
        const calendars = await w.call(key, "GET", "/v1/users/anna/calendars");
        assert.equal(calendars.status, 200);
        assert.deepEqual(calendars.body.items.map((c: { name: string; isDefault: boolean }) => [c.name, c.isDefault]), [
          ["Calendar", true],
          ["Viewings", false],
        ]);
      });

      await t.step("defaults until saved; a valid choice is saved and published (A5)", async () => {
        const defaults = await w.call(key, "GET", "/v1/users/anna/settings");
        assert.deepEqual(defaults.body, {
          calendar: { enabled: false, calendarId: null, includePastDays: 0 },
          contacts: { enabled: false, folderId: null, direction: "two-way" },
        });
        const next = {
          calendar: { enabled: true, calendarId: viewings.id, includePastDays: 60 },
          contacts: { enabled: true, folderId: defaultFolder, direction: "crm-to-outlook" },
        };
        const saved = await w.call(key, "PUT", "/v1/users/anna/settings", next);
        assert.equal(saved.status, 200);
        assert.deepEqual(saved.body, next);
        assert.deepEqual((await w.call(key, "GET", "/v1/users/anna/settings")).body, next);
        assert.equal((await w.call(key, "PUT", "/v1/users/anna/settings", next)).status, 200, "saving again is fine");
        await w.settled();
        const published = ofType(await w.events(), "auth.settings.changed");
        assert.deepEqual(
          published.map((e) => e.data),
          [{ userId: "anna", settings: next }],
          "once: no change, no event",
        );
      });

      await t.step("includePastDays 61 is refused naming the field", async () => {
        const answer = await w.call(key, "PUT", "/v1/users/anna/settings", {
          calendar: { enabled: true, calendarId: viewings.id, includePastDays: 61 },
        });
        assert.equal(answer.status, 400);
        assert.deepEqual(answer.body.issues.map((i: { path: string }) => i.path), ["calendar.includePastDays"]);
      });

      await t.step("a calendar or folder the account does not have is refused naming the field", async () => {
        const answer = await w.call(key, "PUT", "/v1/users/anna/settings", {
          calendar: { enabled: true, calendarId: "AAMkNotACalendarOfAdele" },
          contacts: { enabled: true, folderId: "AAMkNotAFolder" },
        });
        assert.equal(answer.status, 400);
        assert.deepEqual(answer.body.issues.map((i: { path: string }) => i.path), [
          "calendar.calendarId",
          "contacts.folderId",
        ]);
        assert.match(answer.body.detail, /AAMkNotACalendarOfAdele is not a calendar of adele@contoso\.test/);
      });

      await t.step("switching a side on without choosing is refused naming the field", async () => {
        const answer = await w.call(key, "PUT", "/v1/users/anna/settings", { calendar: { enabled: true } });
        assert.equal(answer.status, 400);
        assert.deepEqual(answer.body.issues.map((i: { path: string }) => i.path), ["calendar.calendarId"]);
      });

      await t.step("the refused writes changed nothing", async () => {
        const now = await w.call(key, "GET", "/v1/users/anna/settings");
        assert.equal(now.body.calendar.calendarId, viewings.id);
        assert.equal(now.body.calendar.includePastDays, 60);
      });
      await t.step("a 20 MB body, a body of only unknown keys and an empty body change nothing", async () => {
        const before = (await w.call(key, "GET", "/v1/users/anna/settings")).body;
        assert.equal(before.contacts.enabled, true);
        const huge = await w.call(key, "PUT", "/v1/users/anna/settings", { junk: "x".repeat(20 * 1024 * 1024) });
        assert.equal(huge.status, 413);
        assert.equal(huge.body.code, "body_too_large");
        const unknown = await w.call(key, "PUT", "/v1/users/anna/settings", { contactSync: { enabled: false } });
        assert.equal(unknown.status, 400);
        assert.deepEqual(unknown.body.issues.map((i: { path: string }) => i.path), ["contactSync"]);
        assert.equal((await w.call(key, "PUT", "/v1/users/anna/settings", {})).status, 400);
        assert.deepEqual((await w.call(key, "GET", "/v1/users/anna/settings")).body, before);
      });

      await t.step("a section left out stays as it is", async () => {
        const before = (await w.call(key, "GET", "/v1/users/anna/settings")).body;
        const saved = await w.call(key, "PUT", "/v1/users/anna/settings", {
          calendar: { ...before.calendar, includePastDays: 3 },
        });
        assert.equal(saved.status, 200);
        assert.deepEqual(saved.body, { ...before, calendar: { ...before.calendar, includePastDays: 3 } });
      });

      await t.step("the default folder's alias stays valid after its real id showed", async () => {
        const alias = await w.call(key, "PUT", "/v1/users/anna/settings", {
          contacts: { enabled: true, folderId: DEFAULT_CONTACT_FOLDER_ID },
        });
        assert.equal(alias.status, 200);
      });

      issued = w.issuedTokens();
    } finally {
      await w.close();
    }
  });
  assertNoTokenIn(lines.join("\n"), issued);
});
