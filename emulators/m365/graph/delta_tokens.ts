import { decodeBase64Url, encodeBase64Url } from "@app/shared/encoding";
import { newOpaqueToken } from "../state/ids.ts";
import { badRequest, GraphError } from "./errors.ts";

/**
 * One delta sync chain: started by an initial delta request, continued by its skip and delta
 * tokens. Every response issues a new generation; Outlook keeps only the last few, so an old
 * nextLink or deltaLink turns into 410 SyncStateNotFound (graph-facts §1.3).
 */
interface Chain {
  id: string;
  userId: string;
  scope: string;
  highest: number;
  states: Map<number, unknown>;
  expired: boolean;
}

/** Chains kept per mailbox; older ones are evicted like Outlook's token cache. */
const MAX_CHAINS_PER_MAILBOX = 200;

/** Generic delta-token bookkeeping, shared by every delta route (contacts, calendarView). */
export class DeltaTokens {
  #chains = new Map<string, Chain>();
  #byUser = new Map<string, string[]>();

  constructor(private readonly kept: () => number) {}

  /** Starts a chain for an initial delta request on `scope` (e.g. `contacts:<folderId>`). */
  start(userId: string, scope: string): string {
    const chain: Chain = { id: newOpaqueToken(12), userId, scope, highest: 0, states: new Map(), expired: false };
    this.#chains.set(chain.id, chain);
    const list = this.#byUser.get(userId) ?? [];
    list.push(chain.id);
    while (list.length > MAX_CHAINS_PER_MAILBOX) this.#chains.delete(list.shift()!);
    this.#byUser.set(userId, list);
    return chain.id;
  }

  /** Issues the next generation's token carrying `state`; older generations beyond the kept count die. */
  issue(chainId: string, state: unknown): string {
    const chain = this.#chains.get(chainId);
    if (!chain) throw new Error(`unknown delta chain ${chainId}`);
    const gen = ++chain.highest;
    chain.states.set(gen, state);
    for (const g of chain.states.keys()) if (g <= gen - this.kept()) chain.states.delete(g);
    return encodeBase64Url(new TextEncoder().encode(`${chain.id}.${gen}.${newOpaqueToken(6)}`));
  }

  /**
   * The chain and state a token carries. Throws 410 `SyncStateNotFound` with Outlook's message
   * for a dropped generation, an evicted or expired chain; 400 for a token of another scope.
   */
  resume<S>(userId: string, scope: string, token: string): { chainId: string; state: S } {
    let chainId = "";
    let gen = NaN;
    try {
      [chainId = "", gen = NaN] = new TextDecoder().decode(decodeBase64Url(token)).split(".").map((x, i) =>
        i === 1 ? Number(x) : x
      ) as [string, number];
    } catch {
      // fall through to the malformed-token answer
    }
    if (!chainId || !Number.isInteger(gen)) throw badRequest("The delta token is malformed.", "ErrorInvalidUrlQuery");
    const chain = this.#chains.get(chainId);
    if (chain && chain.userId === userId && chain.scope !== scope) {
      throw badRequest("The delta token does not belong to this collection.", "ErrorInvalidUrlQuery");
    }
    const state = chain && !chain.expired && chain.userId === userId ? chain.states.get(gen) : undefined;
    if (state === undefined) throw syncStateNotFound(gen, chain);
    return { chainId, state: state as S };
  }

  /** Expires every chain (of one mailbox, or all): the next use of any token answers 410. */
  expireAll(userId?: string): number {
    let n = 0;
    for (const chain of this.#chains.values()) {
      if (userId === undefined || chain.userId === userId) {
        chain.expired = true;
        n++;
      }
    }
    return n;
  }

  reset(): void {
    this.#chains.clear();
    this.#byUser.clear();
  }
}

function syncStateNotFound(gen: number, chain: Chain | undefined): GraphError {
  const highest = chain?.highest ?? 0;
  const kept = chain && !chain.expired ? [...chain.states.keys()].sort((a, b) => a - b) : [];
  // Outlook lists the highest generation first, then the others: `[highest=157][157][155][156]`.
  const listed = kept.includes(highest) ? [highest, ...kept.filter((g) => g !== highest)] : kept;
  return new GraphError(
    410,
    "SyncStateNotFound",
    `The sync state generation is not found; generation=${gen};[highest=${highest}]${
      listed.map((g) => `[${g}]`).join("")
    }.`,
  );
}
