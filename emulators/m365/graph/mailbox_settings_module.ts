import type { Context, Hono } from "hono";
import { z } from "zod";
import { adminBody, adminUser } from "../admin/helpers.ts";
import type { GraphModule } from "../module.ts";
import type { Mailbox } from "../state/mailbox.ts";
import { requireScope } from "./auth.ts";
import { readJsonBody } from "./body.ts";
import type { GraphEnv } from "./env.ts";
import { badRequest } from "./errors.ts";
import { applySelect, contextUrl } from "./odata.ts";
import { parseODataQuery } from "./query.ts";

/** The settings Graph returns (user-get-mailboxsettings.md); plain JSON in the mailbox bag. */
export interface MailboxSettings {
  archiveFolder: string;
  timeZone: string;
  automaticRepliesSetting: Record<string, unknown>;
  language: { locale: string; displayName: string };
  workingHours: { daysOfWeek: string[]; startTime: string; endTime: string; timeZone: { name: string } };
  userPurpose: { value: string };
  dateFormat: string;
  timeFormat: string;
  delegateMeetingMessageDeliveryOptions: string;
}

const SETTINGS = [
  "archiveFolder",
  "timeZone",
  "automaticRepliesSetting",
  "language",
  "workingHours",
  "userPurpose",
  "dateFormat",
  "timeFormat",
  "delegateMeetingMessageDeliveryOptions",
] as const;

/** A new mailbox's settings: UTC, en-US, Monday to Friday 08:00–17:00 (UNVERIFIED defaults, README). */
function defaults(): MailboxSettings {
  const utc = (dateTime: string) => ({ dateTime, timeZone: "UTC" });
  return {
    archiveFolder: "",
    timeZone: "UTC",
    automaticRepliesSetting: {
      status: "disabled",
      externalAudience: "all",
      internalReplyMessage: "",
      externalReplyMessage: "",
      scheduledStartDateTime: utc("2020-01-01T00:00:00.0000000"),
      scheduledEndDateTime: utc("2020-01-02T00:00:00.0000000"),
    },
    language: { locale: "en-US", displayName: "English (United States)" },
    workingHours: {
      daysOfWeek: ["monday", "tuesday", "wednesday", "thursday", "friday"],
      startTime: "08:00:00.0000000",
      endTime: "17:00:00.0000000",
      timeZone: { name: "UTC" },
    },
    userPurpose: { value: "user" },
    dateFormat: "M/d/yyyy",
    timeFormat: "h:mm tt",
    delegateMeetingMessageDeliveryOptions: "sendToDelegateOnly",
  };
}

/** The mailbox's settings (made with defaults on first use). */
export function mailboxSettingsOf(mailbox: Mailbox): MailboxSettings {
  return mailbox.moduleState<MailboxSettings>("mailboxSettings", defaults);
}

const Patch = z.strictObject({
  "@odata.context": z.string().optional(),
  timeZone: z.string().min(1).optional(),
  dateFormat: z.string().optional(),
  timeFormat: z.string().optional(),
  language: z.strictObject({ locale: z.string(), displayName: z.string().optional() }).optional(),
  workingHours: z.record(z.string(), z.unknown()).optional(),
  automaticRepliesSetting: z.record(z.string(), z.unknown()).optional(),
  delegateMeetingMessageDeliveryOptions: z.string().optional(),
});

/**
 * `GET/PATCH /me/mailboxSettings` and `GET /me/mailboxSettings/{setting}` (a primitive setting
 * answers `{"@odata.context", "value"}`), with MailboxSettings.Read / .ReadWrite as documented;
 * the admin API sets them as the user would in Outlook (`PATCH /_admin/users/{u}/mailbox-settings`).
 */
export const mailboxSettingsModule: GraphModule = {
  name: "mailboxSettings",
  mailboxRoutes(routes: Hono<GraphEnv>) {
    const base = (c: Context<GraphEnv>) => `users('${c.get("mailboxUser").id}')/mailboxSettings`;
    routes.get("/mailboxSettings", (c) => {
      requireScope(c, "MailboxSettings.Read");
      const settings = mailboxSettingsOf(c.get("mailbox"));
      return c.json({
        "@odata.context": contextUrl(c, base(c)),
        ...applySelect({ ...settings }, parseODataQuery(c).select),
      });
    });
    routes.get("/mailboxSettings/:setting", (c) => {
      requireScope(c, "MailboxSettings.Read");
      const name = SETTINGS.find((s) => s.toLowerCase() === c.req.param("setting").toLowerCase());
      if (!name) throw badRequest(`Resource not found for the segment '${c.req.param("setting")}'.`);
      const value = mailboxSettingsOf(c.get("mailbox"))[name];
      const context = contextUrl(c, `${base(c)}/${name}`);
      return c.json(
        typeof value === "object" ? { "@odata.context": context, ...value } : { "@odata.context": context, value },
      );
    });
    routes.patch("/mailboxSettings", async (c) => {
      requireScope(c, "MailboxSettings.ReadWrite");
      const patch = await readJsonBody(c, Patch, "microsoft.graph.mailboxSettings");
      const settings = applyPatch(mailboxSettingsOf(c.get("mailbox")), patch);
      const changed = Object.fromEntries(
        Object.keys(patch).filter((k) => !k.startsWith("@")).map((k) => [
          k,
          settings[k as keyof MailboxSettings],
        ]),
      );
      return c.json({ "@odata.context": contextUrl(c, base(c)), ...changed });
    });
  },
  adminRoutes(routes, ctx) {
    routes.get("/users/:user/mailbox-settings", (c) => {
      return c.json(mailboxSettingsOf(ctx.state.mailbox(adminUser(ctx, c.req.param("user")).id)));
    });
    routes.patch("/users/:user/mailbox-settings", async (c) => {
      const box = ctx.state.mailbox(adminUser(ctx, c.req.param("user")).id);
      return c.json(applyPatch(mailboxSettingsOf(box), await adminBody(c, Patch)));
    });
  },
};

function applyPatch(settings: MailboxSettings, patch: z.infer<typeof Patch>): MailboxSettings {
  const { "@odata.context": _, ...rest } = patch;
  Object.assign(settings, structuredClone(rest));
  if (rest.language && !rest.language.displayName) settings.language.displayName = rest.language.locale;
  return settings;
}
