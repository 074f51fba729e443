/** Scopes every OpenID Connect request may carry; they are not Graph permissions. */
export const OIDC_SCOPES = new Set(["openid", "profile", "email", "offline_access"]);

// Graph's resource URI or app id in front of a permission (`https://graph.microsoft.com/X`).
const GRAPH_PREFIX = /^(?:https:\/\/graph\.microsoft\.com|00000003-0000-0000-c000-000000000000)\//i;
// Any other resource: `https://outlook.office.com/X`, `api://app/X`, `{app id}/X`.
const OTHER_RESOURCE = /^(?:[a-z][a-z0-9+.-]*:\/\/|[0-9a-f-]{36}\/)/i;

/** A requested scope string split into OIDC scopes and Graph permissions (short names). */
export interface RequestedScopes {
  /** Graph scopes in the form the client wrote them, for the echo (graph-facts §7: cache hits). */
  asWritten: string[];
  /** Graph scopes as short names (`Contacts.ReadWrite`), for grants and tokens. */
  graph: string[];
  oidc: Set<string>;
  /** `.default`: everything already consented. */
  wantsDefault: boolean;
  /** Scopes of another resource than Graph; Entra answers `invalid_scope` (the emulator serves Graph only). */
  foreign: string[];
}

export function parseScopes(scope: string | undefined): RequestedScopes {
  const out: RequestedScopes = { asWritten: [], graph: [], oidc: new Set(), wantsDefault: false, foreign: [] };
  for (const s of (scope ?? "").split(/\s+/).filter(Boolean)) {
    const lower = s.toLowerCase();
    if (OIDC_SCOPES.has(lower)) {
      out.oidc.add(lower);
      continue;
    }
    if (!GRAPH_PREFIX.test(s) && OTHER_RESOURCE.test(s)) {
      out.foreign.push(s);
      continue;
    }
    const short = s.replace(GRAPH_PREFIX, "");
    if (short.toLowerCase() === ".default") {
      out.wantsDefault = true;
      continue;
    }
    out.asWritten.push(s);
    out.graph.push(short);
  }
  return out;
}

/** Case-insensitive union, keeping the first spelling. */
export function unionScopes(a: string[], b: string[]): string[] {
  const seen = new Map<string, string>();
  for (const s of [...a, ...b]) if (!seen.has(s.toLowerCase())) seen.set(s.toLowerCase(), s);
  return [...seen.values()];
}

/** True when every scope in `want` is in `have` (case-insensitive). */
export function coversScopes(have: string[], want: string[]): boolean {
  const set = new Set(have.map((s) => s.toLowerCase()));
  return want.every((s) => set.has(s.toLowerCase()));
}

/** The scope string a refresh without `scope` reuses: the Graph scopes as written plus the OIDC ones. */
export function scopeString(requested: RequestedScopes, graphScopes: string[]): string {
  return [...graphScopes, ...requested.oidc].join(" ");
}
