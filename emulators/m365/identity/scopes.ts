/** Scopes every OpenID Connect request may carry; they are not Graph permissions. */
export const OIDC_SCOPES = new Set(["openid", "profile", "email", "offline_access"]);

const GRAPH_PREFIX = /^https:\/\/graph\.microsoft\.com\//i;

/** A requested scope string split into OIDC scopes and Graph permissions (short names). */
export interface RequestedScopes {
  /** Graph scopes in the form the client wrote them, for the echo (graph-facts §7: cache hits). */
  asWritten: string[];
  /** Graph scopes as short names (`Contacts.ReadWrite`), for grants and tokens. */
  graph: string[];
  oidc: Set<string>;
  /** `.default`: everything already consented. */
  wantsDefault: boolean;
}

export function parseScopes(scope: string | undefined): RequestedScopes {
  const out: RequestedScopes = { asWritten: [], graph: [], oidc: new Set(), wantsDefault: false };
  for (const s of (scope ?? "").split(/\s+/).filter(Boolean)) {
    const lower = s.toLowerCase();
    if (OIDC_SCOPES.has(lower)) {
      out.oidc.add(lower);
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
