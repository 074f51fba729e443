import type { Hono } from "hono";
import { parseOrThrow } from "@app/shared/errors";
import type { AppEnv } from "@app/shared/http";
import type { CrmSimulatorState } from "../core.ts";
import { FaultSpecSchema } from "../faults.ts";
import { bodyOf } from "./body.ts";
import { RequestLogQuerySchema } from "./schemas.ts";

/** What tests steer and inspect: the request log, fault injection, reset. */
export function mountControlRoutes(app: Hono<AppEnv>, state: CrmSimulatorState): void {
  app.get("/admin/requests", (c) => {
    const q = parseOrThrow(RequestLogQuerySchema, c.req.query(), "query");
    return c.json({ items: state.requests.list(q) });
  });
  app.delete("/admin/requests", (c) => {
    state.requests.clear();
    return c.body(null, 204);
  });

  app.post("/admin/faults", async (c) => c.json(state.faults.add(await bodyOf(c, FaultSpecSchema)), 201));
  app.get("/admin/faults", (c) => c.json({ items: state.faults.list() }));
  app.delete("/admin/faults", (c) => {
    state.faults.clear();
    return c.body(null, 204);
  });

  app.post("/admin/reset", (c) => {
    state.reset();
    return c.body(null, 204);
  });
}
