import assert from "node:assert/strict";
import { checkSyncSafety, type SafetyInput } from "./safety.ts";

const input: SafetyInput = {
  linkedCount: 100,
  destructiveCount: 0,
  crmCount: 100,
  outlookCompleteCount: undefined,
  confirmed: false,
};
const thresholds = { maxDestructiveShare: 0.25, minDestructiveCount: 10 };

Deno.test("checkSyncSafety() pauses a run deleting or archiving more than the allowed share (P6)", () => {
  const v = checkSyncSafety({ ...input, destructiveCount: 30 }, thresholds);
  assert.equal(v.ok, false);
  assert.equal(!v.ok && v.kind, "paused");
});

Deno.test("checkSyncSafety() lets a small or confirmed mass change through (P6)", () => {
  assert.equal(checkSyncSafety({ ...input, destructiveCount: 25 }, thresholds).ok, true);
  assert.equal(checkSyncSafety({ ...input, linkedCount: 8, destructiveCount: 8 }, thresholds).ok, true);
  assert.equal(checkSyncSafety({ ...input, destructiveCount: 90, confirmed: true }, thresholds).ok, true);
});

Deno.test("checkSyncSafety() refuses a side that suddenly looks empty while links exist (P6)", () => {
  const crm = checkSyncSafety({ ...input, crmCount: 0 }, thresholds);
  assert.equal(!crm.ok && crm.kind === "side_empty" && crm.side, "crm");
  const out = checkSyncSafety({ ...input, outlookCompleteCount: 0 }, thresholds);
  assert.equal(!out.ok && out.kind === "side_empty" && out.side, "outlook");
  assert.equal(checkSyncSafety({ ...input, linkedCount: 0, crmCount: 0 }, thresholds).ok, true);
});
