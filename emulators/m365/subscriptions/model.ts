import { formatDateTimeOffset } from "../graph/odata.ts";

/** A change-notification subscription as stored (Graph fields plus what the emulator needs). */
export interface Subscription {
  id: string;
  resource: string;
  changeType: string;
  clientState?: string;
  notificationUrl: string;
  lifecycleNotificationUrl?: string;
  expiresAt: number;
  applicationId: string;
  creatorId: string;
  tenantId: string;
  /** Mailbox owner, item kind and folder (`"*"` = every folder of the kind) it covers. */
  userId: string;
  kind: string;
  folderId: string;
  entitySet: string;
  odataType: string;
  /** Created with `Prefer: IdType="ImmutableId"`: notifications carry immutable ids. */
  immutableIds: boolean;
}

/** The subscription as Graph returns it. */
export function renderSubscription(s: Subscription): Record<string, unknown> {
  return {
    id: s.id,
    resource: s.resource,
    applicationId: s.applicationId,
    changeType: s.changeType,
    clientState: s.clientState ?? null,
    notificationUrl: s.notificationUrl,
    notificationQueryOptions: null,
    lifecycleNotificationUrl: s.lifecycleNotificationUrl ?? null,
    expirationDateTime: formatDateTimeOffset(s.expiresAt),
    creatorId: s.creatorId,
    includeResourceData: false,
    latestSupportedTlsVersion: "v1_2",
    encryptionCertificate: null,
    encryptionCertificateId: null,
    notificationUrlAppId: null,
    notificationContentType: "application/json",
  };
}

/** One attempt to deliver notifications, kept for tests to read back. */
export interface Delivery {
  at: string;
  url: string;
  kind: "notification" | "lifecycle" | "validation";
  subscriptionIds: string[];
  attempt: number;
  /** HTTP status, or 0 when the endpoint could not be reached in time. */
  status: number;
  body: unknown;
}
