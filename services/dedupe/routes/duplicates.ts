import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { NotFoundError } from "@app/shared/errors";
import type { AppEnv } from "@app/shared/http";
import type { DecisionStorePg } from "../adapters/decision_store_pg.ts";
import type { ReportStorePg } from "../adapters/report_store_pg.ts";
import type { DecisionService } from "../decisions/decide.ts";
import type { ScanRunner } from "../scans/run_scan.ts";
import {
  DecisionParams,
  DecisionSchema,
  decisionView,
  DeleteBodySchema,
  GroupParams,
  GroupSchema,
  groupView,
  KeepBodySchema,
  MergeBodySchema,
  ReportQuery,
  ReportSchema,
  ScanParams,
  ScanSchema,
  scanView,
} from "./schemas.ts";

const json = <S extends z.ZodType>(schema: S, description: string) => ({
  description,
  content: { "application/json": { schema } },
});
const body = <S extends z.ZodType>(schema: S) => ({
  body: { content: { "application/json": { schema } }, required: true },
});
const security = [{ tenantApiKey: [] }];
const Problem = z.record(z.string(), z.unknown()).openapi("Problem");
const problems = {
  400: json(Problem, "Malformed request; `issues` name each field"),
  404: json(Problem, "No such group, scan or decision in this tenant"),
  409: json(Problem, "Already decided, or a record changed or is gone; nothing was changed"),
  503: json(Problem, "The CRM did not answer; retry the same request (it is never applied twice)"),
};

const routes = {
  startScan: createRoute({
    method: "post",
    path: "/v1/duplicates/scans",
    summary: "Scan now (D1); a scan already running for the tenant is returned instead",
    security,
    responses: { 202: json(ScanSchema, "Scan started") },
  }),
  scan: createRoute({
    method: "get",
    path: "/v1/duplicates/scans/{scanId}",
    summary: "One scan: running, completed or failed (with why)",
    security,
    request: { params: ScanParams },
    responses: { 200: json(ScanSchema, "The scan"), 404: problems[404] },
  }),
  report: createRoute({
    method: "get",
    path: "/v1/duplicates/report",
    summary: "The current report: groups with scores and a reason per field (D1, D2, D3)",
    security,
    request: { query: ReportQuery },
    responses: { 200: json(ReportSchema, "The report of the last completed scan"), 400: problems[400] },
  }),
  group: createRoute({
    method: "get",
    path: "/v1/duplicates/groups/{groupId}",
    summary: "One group with its pairs and reasons",
    security,
    request: { params: GroupParams },
    responses: { 200: json(GroupSchema, "The group"), 404: problems[404] },
  }),
  merge: createRoute({
    method: "post",
    path: "/v1/duplicates/groups/{groupId}/merge",
    summary: "Merge the group into the surviving record, a value per field (D2); undoable (D3)",
    security,
    request: { params: GroupParams, ...body(MergeBodySchema) },
    responses: { 200: json(DecisionSchema, "Merged in the CRM"), ...problems },
  }),
  keep: createRoute({
    method: "post",
    path: "/v1/duplicates/groups/{groupId}/keep",
    summary: "Keep both: not proposed again until one of the records changes (D2, D3)",
    security,
    request: { params: GroupParams, ...body(KeepBodySchema) },
    responses: { 200: json(DecisionSchema, "Remembered"), 400: problems[400], 404: problems[404], 409: problems[409] },
  }),
  deleteOne: createRoute({
    method: "post",
    path: "/v1/duplicates/groups/{groupId}/delete",
    summary: "Delete one record of the group in the CRM (D2)",
    security,
    request: { params: GroupParams, ...body(DeleteBodySchema) },
    responses: { 200: json(DecisionSchema, "Deleted in the CRM"), ...problems },
  }),
  decision: createRoute({
    method: "get",
    path: "/v1/duplicates/decisions/{decisionId}",
    summary: "One decision and its outcome",
    security,
    request: { params: DecisionParams },
    responses: { 200: json(DecisionSchema, "The decision"), 404: problems[404] },
  }),
  undo: createRoute({
    method: "post",
    path: "/v1/duplicates/decisions/{decisionId}/undo",
    summary: "Undo a merge within the undo window: records and their Outlook copies come back (D3)",
    security,
    request: { params: DecisionParams },
    responses: { 200: json(DecisionSchema, "Undone"), 404: problems[404], 409: problems[409], 503: problems[503] },
  }),
};

/** The CRM's duplicate routes (D1–D3), under /v1 (authenticated per tenant by app.ts). */
export function mountDuplicateRoutes(
  app: OpenAPIHono<AppEnv>,
  d: { reports: ReportStorePg; decisions: DecisionStorePg; runner: ScanRunner; decide: DecisionService },
): void {
  app.openapi(routes.startScan, async (c) => {
    const { scan } = await d.runner.start(c.get("tenant").tenantId);
    return c.json(scanView(scan), 202);
  });
  app.openapi(routes.scan, async (c) => {
    const s = await d.reports.scan(c.get("tenant").tenantId, c.req.valid("param").scanId);
    if (!s) throw new NotFoundError("scan not found");
    return c.json(scanView(s), 200);
  });
  app.openapi(routes.report, async (c) => {
    const tenantId = c.get("tenant").tenantId;
    const q = c.req.valid("query");
    const [report, recent] = await Promise.all([
      d.reports.report(tenantId, { status: q.status ?? "open", kind: q.kind }),
      d.reports.recentScans(tenantId, 1),
    ]);
    return c.json({
      scan: report ? scanView(report.scan) : null,
      lastScan: recent[0] ? scanView(recent[0]) : null,
      groups: (report?.groups ?? []).map(groupView),
    }, 200);
  });
  app.openapi(routes.group, async (c) => {
    const g = await d.reports.group(c.get("tenant").tenantId, c.req.valid("param").groupId);
    if (!g) throw new NotFoundError("group not found");
    return c.json(groupView(g), 200);
  });
  app.openapi(routes.merge, async (c) => {
    const decision = await d.decide.merge(c.get("tenant").tenantId, c.req.valid("param").groupId, c.req.valid("json"));
    return c.json(decisionView(decision), 200);
  });
  app.openapi(routes.keep, async (c) => {
    const decision = await d.decide.keepBoth(c.get("tenant").tenantId, c.req.valid("param").groupId);
    return c.json(decisionView(decision), 200);
  });
  app.openapi(routes.deleteOne, async (c) => {
    const { recordId } = c.req.valid("json");
    const decision = await d.decide.deleteOne(c.get("tenant").tenantId, c.req.valid("param").groupId, recordId);
    return c.json(decisionView(decision), 200);
  });
  app.openapi(routes.decision, async (c) => {
    const decision = await d.decisions.decision(c.get("tenant").tenantId, c.req.valid("param").decisionId);
    if (!decision) throw new NotFoundError("decision not found");
    return c.json(decisionView(decision), 200);
  });
  app.openapi(routes.undo, async (c) => {
    const decision = await d.decide.undo(c.get("tenant").tenantId, c.req.valid("param").decisionId);
    return c.json(decisionView(decision), 200);
  });
}
