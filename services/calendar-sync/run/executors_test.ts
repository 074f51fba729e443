// The executors' reading of a pair's earlier answers (pure: no adapter is called).
import assert from "node:assert/strict";
import { occurrenceRef } from "./executors.ts";

Deno.test("E8: an occurrence write of a replaced series goes to the series its pair's createInGraph made, not to another earlier answer with an id", () => {
  // A replacement that also updates the CRM: [updateInCrm, deleteInGraph, createInGraph, updateOccurrenceInGraph].
  const earlier = [{ id: "apt-7", version: 4 }, undefined, { id: "evt-new-series" }];
  const ref = occurrenceRef({
    action: {
      kind: "updateOccurrenceInGraph",
      seriesMasterId: null,
      createdBy: 2,
      originalStart: "2026-07-08T09:00:00",
      timeZone: "Europe/Berlin",
      body: { subject: "Second visit" },
    },
    earlier,
  });
  assert.equal(ref.seriesMasterId, "evt-new-series");
  // A known series keeps its own id.
  const known = occurrenceRef({
    action: {
      kind: "cancelOccurrenceInGraph",
      seriesMasterId: "evt-old",
      originalStart: "2026-07-15T09:00:00",
      timeZone: "Europe/Berlin",
    },
    earlier,
  });
  assert.equal(known.seriesMasterId, "evt-old");
});
