/**
 * HTTP building blocks shared by the services: the base Hono app (health, readiness, metrics,
 * OpenAPI, body limits, strict JSON), request ids, problem+json errors, per-tenant API-key authentication.
 * @module
 */
export * from "./env.ts";
export * from "./app.ts";
export * from "./problem.ts";
export * from "./body_limit.ts";
export * from "./strict_json.ts";
export * from "./request_id.ts";
export * from "./metrics.ts";
export * from "./tenant_auth.ts";
export * from "./api_key.ts";
export * from "./nats_tenant_resolver.ts";
