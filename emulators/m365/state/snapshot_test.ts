import assert from "node:assert/strict";
import { startM365Emulator } from "../mod.ts";
import { graphFor, signedInGraph, startSeeded } from "../testdata/harness.ts";

Deno.test("a snapshot saved to disk restores users, tokens, contacts and extended properties; old delta tokens answer 410", async () => {
  const path = await Deno.makeTempFile({ suffix: ".json" });
  try {
    let token: string;
    let deltaLink: string;
    let contactId: string;
    {
      await using s = await startSeeded();
      const g = await signedInGraph(s);
      token = g.accessToken;
      const c = await g.client.api("/me/contacts").post({
        givenName: "Kept",
        singleValueExtendedProperties: [{ id: "String {66f5a359-4659-4830-9070-00040ec6ac6e} Name CrmId", value: "1" }],
      });
      contactId = c.id;
      deltaLink = (await g.client.api("/me/contacts/delta").get())["@odata.deltaLink"];
      await s.emu.admin.saveSnapshot(path);
    }
    const emu = await startM365Emulator({ snapshotPath: path });
    try {
      const client = graphFor(emu, () => Promise.resolve(token));
      const back = await client.api(`/me/contacts/${contactId}`).get();
      assert.equal(back.givenName, "Kept");
      const found = await client.api("/me/contacts")
        .filter(
          "singleValueExtendedProperties/Any(ep: ep/id eq 'String {66f5a359-4659-4830-9070-00040ec6ac6e} Name CrmId' and ep/value eq '1')",
        )
        .get();
      assert.equal(found.value.length, 1);
      // Delta chains live in memory only: an old token after a restart is a 410, like an evicted one.
      const stale = await client.api(deltaLink.replace(/^https:\/\/[^/]+/, emu.url)).get().catch((e) => e);
      assert.equal(stale.statusCode, 410);
      await client.api("/me/contacts").post({ givenName: "After restore" });
      assert.equal((await client.api("/me/contacts").get()).value.length, 2);
    } finally {
      await emu.stop();
    }
  } finally {
    await Deno.remove(path);
  }
});
