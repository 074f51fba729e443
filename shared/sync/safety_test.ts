import assert from "node:assert/strict";
import { checkSyncSafety, type SafetyInput } from "./safety.ts";

const input: SafetyInput = {
  linkedCount: 100,
  removals: { inOutlook: 0, inCrm: 0 },
  crmCount: 100,
  outlookCompleteCount: undefined,
  confirmed: false,
};
const thresholds = { maxDestructiveShare: 0.25, minDestructiveCount: 10 };
const removing = (inOutlook: number, inCrm = 0) => ({ removals: { inOutlook, inCrm } });

Deno.test("checkSyncSafety() pauses a run deleting or archiving more than the allowed share (P6)", () => {
  const v = checkSyncSafety({ ...input, ...removing(20, 10) }, thresholds);
  assert.equal(!v.ok && v.kind, "paused");
});

Deno.test("checkSyncSafety() lets a small or confirmed mass change through (P6)", () => {
  assert.equal(checkSyncSafety({ ...input, ...removing(25) }, thresholds).ok, true, "exactly the share");
  assert.equal(checkSyncSafety({ ...input, ...removing(90), confirmed: true }, thresholds).ok, true);
});

Deno.test("checkSyncSafety() never stops fewer removals than the minimum, even of every linked item (P6 edge)", () => {
  // A user's only contact deleted in the CRM: one removal, the CRM lists nothing.
  assert.equal(checkSyncSafety({ ...input, linkedCount: 1, crmCount: 0, ...removing(1) }, thresholds).ok, true);
  // Nine of nine: one below the minimum, on either side.
  assert.equal(checkSyncSafety({ ...input, linkedCount: 9, crmCount: 0, ...removing(9) }, thresholds).ok, true);
  assert.equal(checkSyncSafety({ ...input, linkedCount: 9, ...removing(0, 9), outlookCompleteCount: 0 }).ok, true);
});

Deno.test("checkSyncSafety() refuses a side that looks empty from the minimum on (P6 edge)", () => {
  const crm = checkSyncSafety({ ...input, linkedCount: 10, crmCount: 0, ...removing(10) }, thresholds);
  assert.equal(!crm.ok && crm.kind === "side_empty" && crm.side, "crm");
  // Every linked item deleted in Outlook, seen through a delta (no complete listing).
  const out = checkSyncSafety({ ...input, linkedCount: 10, ...removing(0, 10) }, thresholds);
  assert.equal(!out.ok && out.kind === "side_empty" && out.side, "outlook");
  const listed = checkSyncSafety({ ...input, ...removing(0, 30), outlookCompleteCount: 0 }, thresholds);
  assert.equal(!listed.ok && listed.kind === "side_empty" && listed.side, "outlook");
  assert.equal(checkSyncSafety({ ...input, linkedCount: 0, crmCount: 0 }, thresholds).ok, true);
});
