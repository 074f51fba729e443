import type { Hono } from "hono";
import type { CrmEvent } from "@app/shared/contract";
import { type FieldIssue, ValidationError } from "@app/shared/errors";
import type { AppEnv } from "@app/shared/http";
import type { CrmSimulatorState } from "../core.ts";
import {
  createContact,
  deleteContact,
  liveContact,
  setContactArchived,
  setSyncFlag,
  stripUndefined,
  updateContact,
} from "../state/contacts.ts";
import { isTaken, type TenantData } from "../state/model.ts";
import { bodyOf } from "./body.ts";
import { BulkContactsInputSchema, CreateContactInputSchema, PatchContactInputSchema } from "./schemas.ts";

type ContactInput = ReturnType<typeof CreateContactInputSchema.parse>;

function split({ id, syncUserIds, archived, ...fields }: ContactInput) {
  return { id, syncUserIds, archived, fields };
}

// Bulk creation is all or nothing: every item is checked before the first is created.
function bulkIssues(t: TenantData, items: ContactInput[]): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const ids = new Set<string>();
  items.forEach((item, i) => {
    item.syncUserIds.forEach((u, j) => {
      if (!t.users.has(u)) issues.push({ path: `contacts.${i}.syncUserIds.${j}`, message: `unknown user "${u}"` });
    });
    if (item.id === undefined) return;
    if (isTaken(t, item.id) || ids.has(item.id)) {
      issues.push({ path: `contacts.${i}.id`, message: `id "${item.id}" is already used` });
    }
    ids.add(item.id);
  });
  return issues;
}

/** Contacts as a CRM user edits them; every change publishes its event like a real CRM. */
export function mountContactRoutes(app: Hono<AppEnv>, state: CrmSimulatorState): void {
  const store = state.store;
  const tenant = (id: string) => store.tenant(id);

  app.post("/admin/tenants/:tenantId/contacts", async (c) => {
    const input = await bodyOf(c, CreateContactInputSchema);
    return c.json(await state.commit(createContact(tenant(c.req.param("tenantId")), split(input), store.now())), 201);
  });

  app.post("/admin/tenants/:tenantId/contacts/bulk", async (c) => {
    const input = await bodyOf(c, BulkContactsInputSchema);
    const t = tenant(c.req.param("tenantId"));
    const issues = bulkIssues(t, input.contacts);
    if (issues.length) {
      throw new ValidationError(
        `body: ${issues.slice(0, 20).map((i) => `${i.path}: ${i.message}`).join("; ")}`,
        issues,
      );
    }
    const now = store.now();
    const ids: string[] = [];
    const events: CrmEvent[] = [];
    for (const item of input.contacts) {
      const created = createContact(t, split(item), now);
      ids.push(created.value.id);
      if (input.emitEvents) events.push(...created.events);
    }
    return c.json(await state.commit({ value: { count: ids.length, ids }, events }), 201);
  });

  app.get("/admin/tenants/:tenantId/contacts", (c) => c.json({ items: state.contacts(c.req.param("tenantId")) }));
  app.get(
    "/admin/tenants/:tenantId/contacts/:contactId",
    (c) => c.json(liveContact(tenant(c.req.param("tenantId")), c.req.param("contactId"))),
  );

  app.patch("/admin/tenants/:tenantId/contacts/:contactId", async (c) => {
    const { archived, expectedVersion, ...patch } = await bodyOf(c, PatchContactInputSchema);
    const t = tenant(c.req.param("tenantId"));
    const id = c.req.param("contactId");
    let contact = liveContact(t, id);
    if (Object.keys(stripUndefined(patch)).length > 0) {
      contact = await state.commit(updateContact(t, id, patch, expectedVersion, store.now()));
    }
    if (archived !== undefined) {
      const expected = Object.keys(stripUndefined(patch)).length > 0 ? undefined : expectedVersion;
      contact = await state.commit(setContactArchived(t, id, archived, expected, store.now()));
    }
    return c.json(contact);
  });

  app.delete("/admin/tenants/:tenantId/contacts/:contactId", async (c) => {
    const t = tenant(c.req.param("tenantId"));
    return c.json({ deleted: await state.commit(deleteContact(t, c.req.param("contactId"), undefined, store.now())) });
  });

  for (const [method, enabled] of [["put", true], ["delete", false]] as const) {
    app[method]("/admin/tenants/:tenantId/contacts/:contactId/sync-users/:userId", async (c) => {
      const t = tenant(c.req.param("tenantId"));
      return c.json(
        await state.commit(setSyncFlag(t, c.req.param("contactId"), c.req.param("userId"), enabled, store.now())),
      );
    });
  }
}
