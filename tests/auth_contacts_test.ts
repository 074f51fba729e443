// auth and contacts-sync together: a user linked through auth's real sign-in gets their CRM
// contacts in the Outlook folder they chose, with tokens from auth over NATS; after unlinking,
// sync stops and both sides keep their data (A1, A4, A6, A7).
import assert from "node:assert/strict";
import { startContactsSync } from "@app/contacts-sync";
import { loadContactsSyncConfig } from "@app/contacts-sync/config";
import { CrmAdminClient, startCrmSimulator } from "@app/crm-simulator";
import { startAuthWorld } from "@app/auth/testing";
import { createGraphClient } from "@app/shared/graph";
import { Logger } from "@app/shared/log";
import { captureLogs, testInfra, waitFor } from "@app/shared/testing";

Deno.test("a user linked through auth syncs CRM contacts into the chosen folder; unlinking stops it", async () => {
  await captureLogs(async () => {
    const w = await startAuthWorld("authcs", { acme: true });
    const key = w.keys.acme!;
    const crm = await startCrmSimulator({
      natsUrl: testInfra().natsUrl,
      natsPrefix: w.prefix,
      port: 0,
      logger: new Logger("crm", "error"),
    });
    const admin = new CrmAdminClient(crm.url);
    const contacts = await startContactsSync(loadContactsSyncConfig({ ...w.env, PORT: "0", LOG_LEVEL: "error" }));
    try {
      await admin.createTenant({ id: "acme", name: "Acme" });
      await admin.createUser("acme", { id: "anna", displayName: "Anna" });
      await admin.createContact("acme", { givenName: "Olga", familyName: "Owner", syncUserIds: ["anna"] });

      await w.call(key, "PUT", "/v1/users/anna/sync-right", { granted: true });
      assert.equal((await w.link(key, "anna", "adele@contoso.test")).status, 200);
      const { accessToken } = await w.token("acme", "anna");
      const outlook = createGraphClient({ baseUrl: w.emu.url, getAccessToken: () => Promise.resolve(accessToken) });
      const folder = await outlook.api("/me/contactFolders").post({ displayName: "CRM" });
      const listed = (await w.call(key, "GET", "/v1/users/anna/contact-folders")).body.items;
      assert.ok(listed.some((f: { id: string }) => f.id === folder.id));
      const saved = await w.call(key, "PUT", "/v1/users/anna/settings", {
        contacts: { enabled: true, folderId: folder.id, direction: "two-way" },
      });
      assert.equal(saved.status, 200);

      // auth.settings.changed reaches contacts-sync, which asks auth for a token and syncs.
      const inOutlook = async () => (await w.emu.admin.contacts("adele@contoso.test", folder.id)).value;
      await waitFor("the CRM contact in the chosen Outlook folder", async () => (await inOutlook()).length === 1, {
        timeoutMs: 30_000,
      });
      assert.equal((await inOutlook())[0]!.surname, "Owner");
      const contactsApi = async (method: string, path: string) => {
        const res = await fetch(`${contacts.url}${path}`, { method, headers: { authorization: `Bearer ${key}` } });
        return { status: res.status, body: await res.json() };
      };
      assert.equal((await contactsApi("GET", "/v1/users/anna/contacts/status")).status, 200, "keys checked by auth");
      const done = await waitFor("the first run to finish", async () => {
        const s = (await contactsApi("GET", "/v1/users/anna/contacts/status")).body;
        return !s.pending && s.runs[0]?.finishedAt && s;
      }, { timeoutMs: 30_000 });
      assert.equal(done.runs[0].status, "completed");
      const runsBefore = done.runs.length;

      const unlinked = await w.call(key, "DELETE", "/v1/users/anna/link");
      assert.equal(unlinked.body.wasLinked, true);
      await w.settled();
      await admin.createContact("acme", { givenName: "Late", familyName: "Comer", syncUserIds: ["anna"] });
      assert.equal((await contactsApi("POST", "/v1/users/anna/contacts/sync")).status, 202);
      const stopped = await waitFor("a run that stops for the unlinked user", async () => {
        const s = (await contactsApi("GET", "/v1/users/anna/contacts/status")).body;
        return !s.pending && s.runs.length > runsBefore && s.runs[0].finishedAt && s.runs[0];
      }, { timeoutMs: 30_000 });
      assert.equal(stopped.status, "blocked", "contacts-sync stops for the unlinked user (A7)");
      assert.deepEqual(
        (await inOutlook()).map((c) => c.surname),
        ["Owner"],
        "nothing synced after unlinking; data kept",
      );
      assert.equal((await admin.contacts("acme")).length, 2, "the CRM keeps its contacts");
    } finally {
      await contacts.stop();
      await crm.stop();
      await w.close();
    }
  });
});
