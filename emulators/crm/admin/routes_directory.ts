import type { Hono } from "hono";
import type { AppEnv } from "@app/shared/http";
import type { CrmSimulatorState } from "../core.ts";
import { bodyOf } from "./body.ts";
import {
  CreateGroupInputSchema,
  CreateTenantInputSchema,
  CreateUserInputSchema,
  SetMembersInputSchema,
} from "./schemas.ts";

/** Tenants, users and groups: what a CRM administrator sets up. */
export function mountDirectoryRoutes(app: Hono<AppEnv>, state: CrmSimulatorState): void {
  const store = state.store;

  app.post("/admin/tenants", async (c) => {
    const input = await bodyOf(c, CreateTenantInputSchema);
    return c.json(await state.commit({ value: store.createTenant(input), events: [] }), 201);
  });
  app.get("/admin/tenants", (c) => c.json({ items: store.tenants() }));

  app.post("/admin/tenants/:tenantId/users", async (c) => {
    const input = await bodyOf(c, CreateUserInputSchema);
    return c.json(await state.commit({ value: store.createUser(c.req.param("tenantId"), input), events: [] }), 201);
  });
  app.get(
    "/admin/tenants/:tenantId/users",
    (c) => c.json({ items: [...store.tenant(c.req.param("tenantId")).users.values()] }),
  );

  app.post("/admin/tenants/:tenantId/groups", async (c) => {
    const input = await bodyOf(c, CreateGroupInputSchema);
    return c.json(await state.commit(store.createGroup(c.req.param("tenantId"), input)), 201);
  });
  app.get(
    "/admin/tenants/:tenantId/groups",
    (c) => c.json({ items: [...store.tenant(c.req.param("tenantId")).groups.values()].map((g) => g.group) }),
  );
  app.put("/admin/tenants/:tenantId/groups/:groupId/members", async (c) => {
    const { memberIds } = await bodyOf(c, SetMembersInputSchema);
    return c.json(
      await state.commit(store.setGroupMembers(c.req.param("tenantId"), c.req.param("groupId"), memberIds)),
    );
  });
}
