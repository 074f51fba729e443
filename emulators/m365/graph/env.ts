import type { EmulatorContext } from "../context.ts";
import type { AccessToken, AppRegistration, User } from "../state/directory.ts";
import type { Mailbox } from "../state/mailbox.ts";
import type { Preferences } from "./prefer.ts";

/** Who is calling: the access token, its user and its app. */
export interface Principal {
  token: AccessToken;
  user: User;
  app: AppRegistration;
}

/**
 * Per-request bindings. `Deno.serve` passes the socket's remote address (connection resets use
 * it); a `$batch` item is dispatched in-process with `batch` set and the envelope's origin.
 */
export interface GraphBindings {
  remoteAddr?: Deno.NetAddr;
  origin?: string;
  batch?: { itemId: string };
}

/** Hono environment of every Graph route. */
export type GraphEnv = {
  Bindings: GraphBindings;
  Variables: {
    ctx: EmulatorContext;
    requestId: string;
    clientRequestId?: string;
    principal: Principal;
    /** Set on mailbox routes (`/me/...`, `/users/{id}/...`). */
    mailbox: Mailbox;
    mailboxUser: User;
    prefer: Preferences;
    /** Set by the fault injector: ignore `odata.maxpagesize`/`$top` and answer pages this big. */
    oversizePage?: number;
    /** What `Preference-Applied` says so far (`addPreferenceApplied`). */
    preferenceApplied?: string[];
  };
};
