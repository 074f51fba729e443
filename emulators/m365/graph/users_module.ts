import type { GraphModule } from "../module.ts";
import type { User } from "../state/directory.ts";
import { requireScope } from "./auth.ts";
import { contextUrl } from "./odata.ts";
import { parseODataQuery } from "./query.ts";
import { applySelect } from "./odata.ts";

/** `GET /me` and `GET /users/{id|upn}`: the signed-in user's directory object. */
export const usersModule: GraphModule = {
  name: "users",
  mailboxRoutes(routes) {
    routes.get("/", (c) => {
      // Graph needs a User.* permission here; mail and calendar scopes alone are not enough.
      requireScope(c, "User.Read", "User.ReadBasic.All", "User.Read.All", "User.ReadWrite");
      const query = parseODataQuery(c);
      return c.json({
        "@odata.context": contextUrl(c, "users/$entity"),
        ...applySelect(renderUser(c.get("mailboxUser")), query.select),
      });
    });
  },
};

export function renderUser(u: User): Record<string, unknown> {
  return {
    businessPhones: [],
    displayName: u.displayName,
    givenName: u.givenName ?? null,
    jobTitle: null,
    mail: u.mail,
    mobilePhone: null,
    officeLocation: null,
    preferredLanguage: null,
    surname: u.surname ?? null,
    userPrincipalName: u.userPrincipalName,
    id: u.id,
  };
}
