import { z } from "@hono/zod-openapi";
import { RecordIdSchema } from "@app/shared/contract";
import type { DecisionRow } from "../adapters/decision_store_pg.ts";
import type { GroupRow, ScanRow } from "../adapters/report_store_pg.ts";
import { iso } from "../scans/report_types.ts";

const Id = z.string().regex(/^[a-z]+_[0-9a-f-]{36}$/, "an id given by dedupe");
export const ScanParams = z.object({ scanId: Id });
export const GroupParams = z.object({ groupId: Id });
export const DecisionParams = z.object({ decisionId: Id });
export const ReportQuery = z.object({
  status: z.enum(["open", "merged", "kept", "deleted"]).optional().openapi({ description: "default: open" }),
  kind: z.enum(["contact", "appointment"]).optional(),
}).strict();

export const ScanSchema = z.object({
  id: z.string(),
  trigger: z.enum(["scheduled", "manual"]),
  status: z.enum(["running", "completed", "failed"]),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  error: z.string().nullable(),
  stats: z.record(z.string(), z.unknown()).nullable(),
}).openapi("DuplicateScan");

const ReasonSchema = z.object({
  field: z.string().openapi({
    description:
      "given, family, email, phone, company, address, birthday; links; users, time, subject, contacts, location",
  }),
  level: z.string(),
  weight: z.number().openapi({ description: "weight of evidence in bits (log2 m/u): positive for, negative against" }),
  text: z.string().openapi({ example: "family name similar 0.93" }),
});
export const GroupSchema = z.object({
  id: z.string(),
  kind: z.enum(["contact", "appointment"]),
  source: z.enum(["model", "links"]).openapi({ description: "links: found from the sync's own links (D4)" }),
  status: z.enum(["open", "merged", "kept", "deleted"]),
  recordIds: z.array(z.string()),
  score: z.number().openapi({ description: "probability that the records are one (the least likely pair's)" }),
  pairs: z.array(z.object({ a: z.string(), b: z.string(), probability: z.number(), reasons: z.array(ReasonSchema) })),
}).openapi("DuplicateGroup");
export const ReportSchema = z.object({
  scan: ScanSchema.nullable().openapi({ description: "the last completed scan; null before the first" }),
  lastScan: ScanSchema.nullable().openapi({ description: "the latest scan, which may be running or have failed" }),
  groups: z.array(GroupSchema),
}).openapi("DuplicateReport");

export const MergeBodySchema = z.object({
  survivorId: RecordIdSchema,
  fields: z.record(z.string(), RecordIdSchema).optional().openapi({
    description: "per field, the record of the group whose value the survivor takes (default: its own)",
    example: { phones: "con-97", birthday: "con-97" },
  }),
  values: z.record(z.string(), z.unknown()).optional().openapi({
    description: "explicit values for fields (the contact or appointment fields of the CRM contract)",
  }),
}).strict().openapi("MergeDecision");
export const DeleteBodySchema = z.object({ recordId: RecordIdSchema }).strict().openapi("DeleteOneDecision");
export const KeepBodySchema = z.object({}).strict().openapi("KeepBothDecision");

export const DecisionSchema = z.object({
  id: z.string(),
  groupId: z.string(),
  kind: z.enum(["merge", "keep_both", "delete_one"]),
  status: z.enum(["applying", "applied", "failed", "undone"]),
  createdAt: z.string(),
  appliedAt: z.string().nullable(),
  undoUntil: z.string().nullable().openapi({ description: "a merge can be undone until then" }),
  undoneAt: z.string().nullable(),
  result: z.record(z.string(), z.unknown()).nullable(),
  error: z.string().nullable(),
}).openapi("DuplicateDecision");

export const scanView = (s: ScanRow) => ({
  id: s.id,
  trigger: s.trigger as "scheduled" | "manual",
  status: s.status as "running" | "completed" | "failed",
  startedAt: iso(s.startedAt),
  finishedAt: iso(s.finishedAt),
  error: s.error,
  stats: s.stats ?? null,
});
export const groupView = (g: GroupRow) => ({
  id: g.id,
  kind: g.kind as "contact" | "appointment",
  source: g.source as "model" | "links",
  status: g.status as "open" | "merged" | "kept" | "deleted",
  recordIds: g.recordIds,
  score: g.score,
  pairs: g.pairs,
});
export const decisionView = (d: DecisionRow) => ({
  id: d.id,
  groupId: d.groupId,
  kind: d.kind as "merge" | "keep_both" | "delete_one",
  status: d.status as "applying" | "applied" | "failed" | "undone",
  createdAt: iso(d.createdAt),
  appliedAt: iso(d.appliedAt),
  undoUntil: iso(d.undoUntil),
  undoneAt: iso(d.undoneAt),
  result: d.result ?? null,
  error: d.error,
});
