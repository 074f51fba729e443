import type { Hono } from "hono";
import type { AppEnv } from "@app/shared/http";
import type { CrmSimulatorState } from "../core.ts";
import { createAppointment, deleteAppointment, liveAppointment, updateAppointment } from "../state/appointments.ts";
import { bodyOf } from "./body.ts";
import { CreateAppointmentInputSchema, PatchAppointmentInputSchema } from "./schemas.ts";

/** Appointments as a CRM user edits them; every change publishes its event. */
export function mountAppointmentRoutes(app: Hono<AppEnv>, state: CrmSimulatorState): void {
  const store = state.store;
  const tenant = (id: string) => store.tenant(id);

  app.post("/admin/tenants/:tenantId/appointments", async (c) => {
    const { id, ...fields } = await bodyOf(c, CreateAppointmentInputSchema);
    const t = tenant(c.req.param("tenantId"));
    return c.json(await state.commit(createAppointment(t, { id, fields }, "", store.now())), 201);
  });
  app.get(
    "/admin/tenants/:tenantId/appointments",
    (c) => c.json({ items: state.appointments(c.req.param("tenantId")) }),
  );
  app.get(
    "/admin/tenants/:tenantId/appointments/:appointmentId",
    (c) => c.json(liveAppointment(tenant(c.req.param("tenantId")), c.req.param("appointmentId"))),
  );
  app.patch("/admin/tenants/:tenantId/appointments/:appointmentId", async (c) => {
    const { expectedVersion, ...patch } = await bodyOf(c, PatchAppointmentInputSchema);
    const t = tenant(c.req.param("tenantId"));
    const id = c.req.param("appointmentId");
    return c.json(await state.commit(updateAppointment(t, id, patch, expectedVersion, "", store.now())));
  });
  app.delete("/admin/tenants/:tenantId/appointments/:appointmentId", async (c) => {
    const t = tenant(c.req.param("tenantId"));
    return c.json({ deleted: await state.commit(deleteAppointment(t, c.req.param("appointmentId"), undefined)) });
  });
}
