import { UnauthorizedError, UpstreamError } from "@app/shared/errors";
import type { AccountRow } from "../adapters/account_store.ts";
import { type CalendarChoice, type ContactFolderChoice, MailboxGraph } from "../adapters/mailbox_graph.ts";
import { type AccessDeps, requireLinkedAccount } from "./access.ts";
import type { TokenService } from "./tokens.ts";

/** What {@link MailboxChoices} needs. */
export interface MailboxDeps extends AccessDeps {
  tokens: TokenService;
  graphBaseUrl: string;
}

/**
 * Reads the linked mailbox for auth's own needs: the calendars and contact folders a user picks
 * from (A4), and the subscriptions to drop on unlink (A7).
 */
export class MailboxChoices {
  constructor(private readonly d: MailboxDeps) {}

  async calendars(tenantId: string, userId: string): Promise<CalendarChoice[]> {
    const account = await requireLinkedAccount(this.d, tenantId, userId);
    return await this.withMailbox(account, (m) => m.calendars());
  }

  async contactFolders(tenantId: string, userId: string): Promise<ContactFolderChoice[]> {
    const account = await requireLinkedAccount(this.d, tenantId, userId);
    return await this.withMailbox(account, (m) => m.contactFolders());
  }

  /**
   * Runs `fn` on the account's mailbox. A 401 from Graph means the cached access token died early
   * (consent revoked): refresh once, which either works or marks the account needs-reconnect.
   */
  async withMailbox<T>(account: AccountRow, fn: (m: MailboxGraph) => Promise<T>): Promise<T> {
    const mailbox = (force: boolean) =>
      new MailboxGraph(this.d.graphBaseUrl, async () => (await this.d.tokens.forAccount(account, force)).accessToken);
    try {
      return await fn(mailbox(false));
    } catch (err) {
      if (!(err instanceof UnauthorizedError)) throw err;
    }
    try {
      return await fn(mailbox(true));
    } catch (err) {
      if (err instanceof UnauthorizedError) {
        throw new UpstreamError("graph_unauthorized", "Microsoft Graph refused a freshly refreshed token", {
          cause: err,
        });
      }
      throw err;
    }
  }
}
