import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "@app/shared/http";
import type { AuthUseCases } from "../use_cases/mod.ts";
import {
  problems,
  SyncRightBodySchema,
  toUserStatus,
  UserListSchema,
  UserParams,
  UserStatusSchema,
} from "./schemas.ts";

const json = <S>(schema: S, description: string) => ({ description, content: { "application/json": { schema } } });

const listUsers = createRoute({
  method: "get",
  path: "/v1/users",
  summary: "Users of the tenant with their right, link and settings",
  security: [{ tenantApiKey: [] }],
  responses: { 200: json(UserListSchema, "Every user the CRM set a sync right for") },
});

const getUser = createRoute({
  method: "get",
  path: "/v1/users/{userId}",
  summary: "One user's right, link and settings",
  security: [{ tenantApiKey: [] }],
  request: { params: UserParams },
  responses: { 200: json(UserStatusSchema, "The user"), ...problems(404) },
});

const setRight = createRoute({
  method: "put",
  path: "/v1/users/{userId}/sync-right",
  summary: 'Grant or revoke the "Microsoft Outlook sync" right (A2)',
  description: "Creates the user in auth if new. Revoking stops the user's sync (the account stays linked). " +
    "Publishes `auth.right.changed` when the right changes.",
  security: [{ tenantApiKey: [] }],
  request: {
    params: UserParams,
    body: { required: true, content: { "application/json": { schema: SyncRightBodySchema } } },
  },
  responses: { 200: json(UserStatusSchema, "The user after the change"), ...problems(400) },
});

/** The CRM admin's view of users and their right. */
export function mountUserRoutes(app: OpenAPIHono<AppEnv>, auth: AuthUseCases): void {
  app.openapi(listUsers, async (c) => {
    const users = await auth.listUsers(c.get("tenant").tenantId);
    return c.json({ items: users.map(toUserStatus) }, 200);
  });
  app.openapi(getUser, async (c) => {
    return c.json(toUserStatus(await auth.status(c.get("tenant").tenantId, c.req.valid("param").userId)), 200);
  });
  app.openapi(setRight, async (c) => {
    const { userId } = c.req.valid("param");
    const status = await auth.setRight(c.get("tenant").tenantId, userId, c.req.valid("json").granted);
    return c.json(toUserStatus(status), 200);
  });
}
