import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { SyncSettingsSchema } from "@app/shared/contract";
import type { AppEnv } from "@app/shared/http";
import type { AuthUseCases } from "../use_cases/mod.ts";
import {
  CalendarListSchema,
  ContactFolderListSchema,
  problems,
  SyncSettingsUpdateSchema,
  UserParams,
} from "./schemas.ts";

const json = <S>(schema: S, description: string) => ({ description, content: { "application/json": { schema } } });

const calendars = createRoute({
  method: "get",
  path: "/v1/users/{userId}/calendars",
  summary: "The linked account's calendars to choose from, the primary one first (A4)",
  security: [{ tenantApiKey: [] }],
  request: { params: UserParams },
  responses: { 200: json(CalendarListSchema, "Calendars"), ...problems(403, 404, 409, 502, 503) },
});

const contactFolders = createRoute({
  method: "get",
  path: "/v1/users/{userId}/contact-folders",
  summary: "The linked account's contact folders to choose from, the default one first (A4)",
  description: "The default folder carries its Graph id; a mailbox whose default folder is empty and has no " +
    "sub-folders does not reveal that id, and the folder is then listed as `default` (`DEFAULT_CONTACT_FOLDER_ID`).",
  security: [{ tenantApiKey: [] }],
  request: { params: UserParams },
  responses: { 200: json(ContactFolderListSchema, "Contact folders"), ...problems(403, 404, 409, 502, 503) },
});

const getSettings = createRoute({
  method: "get",
  path: "/v1/users/{userId}/settings",
  summary: "The user's sync settings (A4, A5); defaults until saved",
  security: [{ tenantApiKey: [] }],
  request: { params: UserParams },
  responses: { 200: json(SyncSettingsSchema, "Settings"), ...problems(404) },
});

const putSettings = createRoute({
  method: "put",
  path: "/v1/users/{userId}/settings",
  summary: "Save the user's sync settings (A4, A5): each section sent replaces the saved one",
  description: "Calendar sync is always two-way; contacts two-way or crm-to-outlook; includePastDays 0–60. " +
    "A section left out stays as it is; within a section, fields left out take their defaults. Unknown fields " +
    "and an empty body are refused. A chosen calendar or folder must exist in the linked account; switching a " +
    "side on needs one. Publishes `auth.settings.changed` when they change.",
  security: [{ tenantApiKey: [] }],
  request: {
    params: UserParams,
    body: { required: true, content: { "application/json": { schema: SyncSettingsUpdateSchema } } },
  },
  responses: { 200: json(SyncSettingsSchema, "Settings saved"), ...problems(400, 403, 404, 409, 502, 503) },
});

/** What the user picks from (A4) and the settings built on it (A5). */
export function mountMailboxRoutes(app: OpenAPIHono<AppEnv>, auth: AuthUseCases): void {
  app.openapi(calendars, async (c) => {
    return c.json({ items: await auth.calendars(c.get("tenant").tenantId, c.req.valid("param").userId) }, 200);
  });
  app.openapi(contactFolders, async (c) => {
    return c.json({ items: await auth.contactFolders(c.get("tenant").tenantId, c.req.valid("param").userId) }, 200);
  });
  app.openapi(getSettings, async (c) => {
    return c.json(await auth.settings.get(c.get("tenant").tenantId, c.req.valid("param").userId), 200);
  });
  app.openapi(putSettings, async (c) => {
    const { userId } = c.req.valid("param");
    return c.json(await auth.putSettings(c.get("tenant").tenantId, userId, c.req.valid("json")), 200);
  });
}
