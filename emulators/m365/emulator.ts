import { Logger } from "@app/shared/log";
import type { Hono } from "hono";
import { Clock } from "./clock.ts";
import { defaultConfig, type EmulatorConfig } from "./config.ts";
import type { EmulatorContext } from "./context.ts";
import { RequestCounters } from "./graph/counters.ts";
import { DeltaTokens } from "./graph/delta_tokens.ts";
import type { GraphEnv } from "./graph/env.ts";
import { FaultInjector } from "./graph/faults.ts";
import { Limiter } from "./graph/limits.ts";
import type { GraphModule } from "./module.ts";
import { defaultModules } from "./modules.ts";
import { buildApp } from "./server.ts";
import { EmulatorState } from "./state/state.ts";
import { SubscriptionService } from "./subscriptions/service.ts";
import { Timers } from "./timers.ts";

/** Config overrides: any subset, nested objects merged. */
export type ConfigOverrides = Partial<Omit<EmulatorConfig, "limits" | "subscriptions" | "latency">> & {
  limits?: Partial<EmulatorConfig["limits"]>;
  latency?: Partial<EmulatorConfig["latency"]>;
  subscriptions?: Partial<EmulatorConfig["subscriptions"]>;
};

/** Builds the context and Hono app without any socket (tests can call `app.request`). */
export function createEmulator(o: {
  config?: ConfigOverrides;
  modules?: GraphModule[];
  logger?: Logger;
  resetConnection?: (addr: Deno.NetAddr | undefined) => boolean;
} = {}): { ctx: EmulatorContext; app: Hono<GraphEnv>; timers: Timers } {
  const base = defaultConfig();
  const config: EmulatorConfig = {
    ...base,
    ...o.config,
    limits: { ...base.limits, ...o.config?.limits },
    latency: { ...base.latency, ...o.config?.latency },
    subscriptions: { ...base.subscriptions, ...o.config?.subscriptions },
  };
  const clock = new Clock(config.timeScale);
  const timers = new Timers();
  const log = o.logger ?? new Logger("m365-emulator", "info");
  const state = new EmulatorState(() => clock.now());
  const modules = [...defaultModules, ...(o.modules ?? [])];
  const subscriptions = new SubscriptionService(state, () => config, clock, timers, log);
  for (const m of modules) subscriptions.resources.push(...(m.subscriptionResources ?? []));
  const ctx: EmulatorContext = {
    state,
    config,
    clock,
    log,
    limiter: new Limiter(() => config.limits, clock),
    faults: new FaultInjector(),
    counters: new RequestCounters(),
    deltaTokens: new DeltaTokens(() => config.deltaGenerationsKept),
    subscriptions,
    modules,
    sleep: (ms) => timers.sleep(ms),
    later: (ms, fn) => timers.later(ms, fn),
    resetConnection: (addr) => o.resetConnection?.(addr) ?? false,
    dispatch: () => Promise.reject(new Error("app not built yet")),
  };
  const app = buildApp(ctx);
  ctx.dispatch = async (req, bindings) => await app.fetch(req, bindings);
  return { ctx, app, timers };
}
