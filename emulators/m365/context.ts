import type { Logger } from "@app/shared/log";
import type { Clock } from "./clock.ts";
import type { EmulatorConfig } from "./config.ts";
import type { RequestCounters } from "./graph/counters.ts";
import type { DeltaTokens } from "./graph/delta_tokens.ts";
import type { GraphBindings } from "./graph/env.ts";
import type { FaultInjector } from "./graph/faults.ts";
import type { Limiter } from "./graph/limits.ts";
import type { GraphModule } from "./module.ts";
import type { EmulatorState } from "./state/state.ts";
import type { SubscriptionService } from "./subscriptions/service.ts";

/** The emulator's shared services, handed to every module and reachable as `c.get("ctx")`. */
export interface EmulatorContext {
  state: EmulatorState;
  config: EmulatorConfig;
  clock: Clock;
  log: Logger;
  limiter: Limiter;
  faults: FaultInjector;
  counters: RequestCounters;
  deltaTokens: DeltaTokens;
  subscriptions: SubscriptionService;
  modules: GraphModule[];
  /** Waits `ms` (real milliseconds); resolves early when the emulator stops. */
  sleep(ms: number): Promise<void>;
  /** Runs `fn` after `ms` unless the emulator stops first. */
  later(ms: number, fn: () => void): void;
  /** Runs a request through the whole app in-process (how `$batch` executes its items). */
  dispatch(req: Request, bindings: GraphBindings): Promise<Response>;
  /** Drops the TCP connection a request came on; false when there is no socket (in-process). */
  resetConnection(remoteAddr: Deno.NetAddr | undefined): boolean;
}
