import { z } from "zod";
import { FaultRuleSchema } from "../graph/faults.ts";

export const UserInputSchema = z.strictObject({
  id: z.uuid().optional(),
  userPrincipalName: z.string().includes("@"),
  displayName: z.string().min(1).optional(),
  givenName: z.string().optional(),
  surname: z.string().optional(),
  mail: z.string().optional(),
});
export type UserInput = z.infer<typeof UserInputSchema>;

export const AppInputSchema = z.strictObject({
  clientId: z.string().min(1),
  displayName: z.string().optional(),
  secrets: z.array(z.string().min(1)).default([]),
  redirectUris: z.array(z.url()).default([]),
  autoConsent: z.boolean().default(false),
});
export type AppInput = z.input<typeof AppInputSchema>;

export const TenantInputSchema = z.strictObject({
  id: z.uuid().optional(),
  domain: z.string().min(3),
  displayName: z.string().optional(),
  users: z.array(UserInputSchema).default([]),
  apps: z.array(AppInputSchema).default([]),
});
export type TenantInput = z.input<typeof TenantInputSchema>;

export const ConfigPatchSchema = z.strictObject({
  timeScale: z.number().positive().max(1000).optional(),
  limits: z.strictObject({
    enabled: z.boolean().optional(),
    concurrency: z.number().int().min(1).optional(),
    requestsPerWindow: z.number().int().min(1).optional(),
    windowMs: z.number().int().min(1).optional(),
  }).optional(),
  latency: z.strictObject({
    readMs: z.number().int().min(0).max(60_000).optional(),
    writeMs: z.number().int().min(0).max(60_000).optional(),
  }).optional(),
  authCodeLifetimeMs: z.number().int().min(1).optional(),
  accessTokenLifetimeSec: z.number().int().min(1).optional(),
  refreshTokenLifetimeMs: z.number().int().min(1).optional(),
  deltaGenerationsKept: z.number().int().min(1).optional(),
  defaultPageSize: z.number().int().min(1).optional(),
  maxPageSize: z.number().int().min(1).optional(),
  defaultDeltaPageSize: z.number().int().min(1).optional(),
  subscriptions: z.strictObject({
    maxExpirationMinutes: z.number().int().min(1).optional(),
    validationTimeoutMs: z.number().int().min(1).optional(),
    allowHttpLoopback: z.boolean().optional(),
  }).optional(),
});
export type ConfigPatch = z.infer<typeof ConfigPatchSchema>;

export const RevokeInputSchema = z.strictObject({ clientId: z.string().optional() });
export const ExpireDeltaInputSchema = z.strictObject({ user: z.string().optional() });
export const LifecycleInputSchema = z.strictObject({
  event: z.enum(["reauthorizationRequired", "subscriptionRemoved", "missed"]),
});
export const SnapshotInputSchema = z.strictObject({ path: z.string().min(1) });
export { FaultRuleSchema };
