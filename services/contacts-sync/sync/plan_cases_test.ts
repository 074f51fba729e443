import assert from "node:assert/strict";
import {
  type CrmState,
  type GoneState,
  type LinkState,
  matchCase,
  type MatchState,
  type OutlookState,
  pairCase,
  type PoolState,
} from "./plan_cases.ts";

const LINKS: LinkState[] = ["clean", "dirty", "creating_in_graph", "creating_in_crm", "held", "none"];
const CRM: CrmState[] = ["same", "changed", "absent"];
const DIRS = ["two-way", "crm-to-outlook"] as const;
const OUTLOOK_OF: Record<LinkState, OutlookState[]> = {
  clean: ["same", "changed", "moved", "removed", "missing"],
  dirty: ["same", "changed", "moved", "removed", "missing"],
  creating_in_graph: ["found", "none"],
  creating_in_crm: ["changed", "removed"],
  held: ["changed", "removed"],
  none: ["copy", "stamped", "unstamped"],
};

Deno.test("pairCase() has exactly one case for every state a pair can be in", () => {
  for (const link of LINKS) {
    for (const crm of CRM) {
      for (const outlook of OUTLOOK_OF[link]) for (const dir of DIRS) pairCase(link, crm, outlook, dir);
    }
  }
});

Deno.test("pairCase(): deletes only when a side really went (C5), never by omission (C8)", () => {
  for (const link of ["clean", "dirty"] as const) {
    for (const dir of DIRS) {
      for (const crm of ["same", "changed"] as const) {
        assert.equal(pairCase(link, crm, "missing", dir), "match", "missing from a listing: matched, else re-created");
        assert.equal(pairCase(link, crm, "moved", dir), "relink");
      }
      assert.equal(pairCase(link, "absent", "changed", dir), "delete_in_graph");
      assert.equal(pairCase(link, "absent", "removed", dir), "unlink");
      assert.equal(pairCase(link, "absent", "missing", dir), "unlink");
    }
    assert.equal(pairCase(link, "same", "removed", "two-way"), "archive_in_crm");
    assert.equal(pairCase(link, "same", "removed", "crm-to-outlook"), "create_in_graph", "C4: re-created");
  }
  assert.equal(pairCase("clean", "same", "same", "two-way"), "nothing");
  assert.equal(pairCase("dirty", "same", "same", "two-way"), "merge", "a row with unfinished business is merged");
  assert.equal(pairCase("creating_in_graph", "same", "found", "two-way"), "adopt", "never created twice");
  assert.equal(pairCase("none", "same", "copy", "two-way"), "ignore_copy");
  assert.equal(pairCase("none", "absent", "stamped", "two-way"), "match");
});

Deno.test("matchCase() has one case for every match result; one-way mode imports nothing (C4)", () => {
  const states: MatchState[] = ["paired", "duplicate", "unmatched"];
  const items: PoolState[] = ["present", "removed", "crm"];
  const gone: GoneState[] = ["gone", "new"];
  for (const m of states) {
    for (const i of items) {
      for (const g of gone) {
        for (const dir of DIRS) {
          const c = matchCase(m, i, g, dir);
          if (dir === "crm-to-outlook") assert.notEqual(c, "create_in_crm");
          if (dir === "crm-to-outlook") assert.notEqual(c, "hold");
        }
      }
    }
  }
  assert.equal(matchCase("unmatched", "present", "new", "two-way"), "create_in_crm");
  assert.equal(matchCase("duplicate", "present", "new", "two-way"), "hold");
  assert.equal(matchCase("duplicate", "crm", "new", "two-way"), "wait", "a CRM duplicate is not copied");
  assert.equal(matchCase("duplicate", "crm", "gone", "two-way"), "create_in_graph");
});
