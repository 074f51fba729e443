/**
 * The one catalogue of NATS subjects, JetStream streams and durable consumers. Nothing else in the
 * code base spells a subject. Every name takes the configured prefix (`NATS_PREFIX`), so tests and
 * environments can share one NATS server without seeing each other's messages.
 *
 * Naming: facts are past tense (`crm.contact.updated`), request/reply subjects carry `rpc`
 * (`crm.rpc.contact.get`), so no stream ever captures a request.
 */

/** A JetStream stream the services rely on. */
export interface StreamSpec {
  name: string;
  subjects: string[];
  /** Oldest message kept, in milliseconds. */
  maxAgeMs: number;
  /** Window in which a repeated `Nats-Msg-Id` is dropped as duplicate, in milliseconds. */
  duplicateWindowMs: number;
  /** `workqueue` streams delete a message once acknowledged by its (only) consumer. */
  retention: "limits" | "workqueue";
}

/** A durable pull consumer on a stream. */
export interface ConsumerSpec {
  stream: StreamSpec;
  durable: string;
  /** One subject filter (NATS 2.9 supports a single one). */
  filterSubject?: string;
  /** Deliveries before a message is dead-lettered. */
  maxDeliver: number;
  /** How long the server waits for an ack before redelivering, in milliseconds. */
  ackWaitMs: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Builds the catalogue for a prefix ("" in production). */
export function natsCatalog(prefix = "") {
  const s = (subject: string) => (prefix ? `${prefix}.${subject}` : subject);
  const n = (name: string) => (prefix ? `${prefix.toUpperCase()}_${name}` : name);

  const streams = {
    /** Change events published by the CRM (P2, P3). */
    crmEvents: {
      name: n("CRM_EVENTS"),
      subjects: [s("crm.contact.*"), s("crm.appointment.*"), s("crm.group.*")],
      maxAgeMs: 7 * DAY_MS,
      duplicateWindowMs: 2 * 60_000,
      retention: "limits",
    },
    /** Account, right, settings and tenant-switch events published by auth. */
    authEvents: {
      name: n("AUTH_EVENTS"),
      subjects: [s("auth.account.*"), s("auth.settings.*"), s("auth.right.*"), s("auth.tenant.*")],
      maxAgeMs: 7 * DAY_MS,
      duplicateWindowMs: 2 * 60_000,
      retention: "limits",
    },
    /** Duplicate-scan reports published by dedupe (D1). */
    dedupeReports: {
      name: n("DEDUPE_REPORTS"),
      subjects: [s("dedupe.report.published")],
      maxAgeMs: 30 * DAY_MS,
      duplicateWindowMs: 60_000,
      retention: "limits",
    },
    /** Messages no consumer could handle, with the reason in headers. */
    deadLetters: {
      name: n("DEAD_LETTERS"),
      subjects: [s("dlq.>")],
      maxAgeMs: 30 * DAY_MS,
      duplicateWindowMs: 60_000,
      retention: "limits",
    },
  } satisfies Record<string, StreamSpec>;

  // Event handlers only record a run request, so 15 s is ample; a crashed replica's unacked
  // messages come back after this long.
  const consumer = (
    stream: StreamSpec,
    durable: string,
    filterSubject?: string,
    options: Partial<Pick<ConsumerSpec, "maxDeliver" | "ackWaitMs">> = {},
  ): ConsumerSpec => ({ stream, durable, filterSubject, maxDeliver: 8, ackWaitMs: 15_000, ...options });

  return {
    prefix,
    subjects: {
      crm: {
        contactCreated: s("crm.contact.created"),
        contactUpdated: s("crm.contact.updated"),
        contactArchived: s("crm.contact.archived"),
        contactDeleted: s("crm.contact.deleted"),
        contactSyncFlagChanged: s("crm.contact.sync_flag_changed"),
        appointmentCreated: s("crm.appointment.created"),
        appointmentUpdated: s("crm.appointment.updated"),
        appointmentDeleted: s("crm.appointment.deleted"),
        groupMembershipChanged: s("crm.group.membership_changed"),
        rpc: {
          contactsList: s("crm.rpc.contacts.list"),
          contactGet: s("crm.rpc.contact.get"),
          contactsGetMany: s("crm.rpc.contacts.get_many"),
          contactCreate: s("crm.rpc.contact.create"),
          contactUpdate: s("crm.rpc.contact.update"),
          contactArchive: s("crm.rpc.contact.archive"),
          contactDelete: s("crm.rpc.contact.delete"),
          appointmentsList: s("crm.rpc.appointments.list"),
          appointmentGet: s("crm.rpc.appointment.get"),
          appointmentsGetMany: s("crm.rpc.appointments.get_many"),
          appointmentCreate: s("crm.rpc.appointment.create"),
          appointmentUpdate: s("crm.rpc.appointment.update"),
          appointmentCancel: s("crm.rpc.appointment.cancel"),
          appointmentRemoveParticipant: s("crm.rpc.appointment.remove_participant"),
          /** Duplicate resolution (D2) deletes one of two duplicate appointments. */
          appointmentDelete: s("crm.rpc.appointment.delete"),
          usersList: s("crm.rpc.users.list"),
          groupsList: s("crm.rpc.groups.list"),
          /** Duplicate decisions (D2, D3): merge in one change, and its undo. */
          contactsMerge: s("crm.rpc.contacts.merge"),
          contactsUnmerge: s("crm.rpc.contacts.unmerge"),
          appointmentsMerge: s("crm.rpc.appointments.merge"),
          appointmentsUnmerge: s("crm.rpc.appointments.unmerge"),
        },
      },
      auth: {
        accountLinked: s("auth.account.linked"),
        accountUnlinked: s("auth.account.unlinked"),
        accountNeedsReconnect: s("auth.account.needs_reconnect"),
        settingsChanged: s("auth.settings.changed"),
        rightChanged: s("auth.right.changed"),
        tenantSwitched: s("auth.tenant.switched"),
        rpc: {
          tokenGet: s("auth.rpc.token.get"),
          userContext: s("auth.rpc.user.context"),
          syncableUsers: s("auth.rpc.users.syncable"),
          apiKeyVerify: s("auth.rpc.apikey.verify"),
        },
      },
      // Run wake-ups are core NATS, in no stream: Postgres holds what is wanted, a lost one is swept up.
      contacts: {
        runWake: s("contacts.run.wake"),
        rpc: {
          /** D4: records contacts-sync's links make duplicates (`LinkDuplicatesRequestSchema`); queue `contacts-sync`. */
          linkDuplicates: s("contacts.rpc.links.duplicates"),
        },
      },
      calendar: {
        runWake: s("calendar.run.wake"),
        rpc: {
          /** D4: the same for calendar-sync's links (iCalUId, Outlook item, echoes); queue `calendar-sync`. */
          linkDuplicates: s("calendar.rpc.links.duplicates"),
        },
      },
      dedupe: { reportPublished: s("dedupe.report.published") },
      /** Where a consumer's poison messages go. */
      deadLetter: (consumer: ConsumerSpec) => s(`dlq.${consumer.stream.name.toLowerCase()}.${consumer.durable}`),
    },
    streams,
    /** NATS KV buckets. */
    kv: {
      /** The per-mailbox Graph allowance shared by every sync service and replica (P7). */
      graphBudget: n("GRAPH_BUDGET"),
    },
    consumers: {
      contactsCrmEvents: consumer(streams.crmEvents, "contacts-sync-crm", s("crm.contact.*")),
      contactsAuthEvents: consumer(streams.authEvents, "contacts-sync-auth"),
      /** calendar-sync's one CRM consumer (the engine takes one): appointments and groups, its kind filters. */
      calendarCrmEvents: consumer(streams.crmEvents, "calendar-sync-crm-events"),
      calendarAuthEvents: consumer(streams.authEvents, "calendar-sync-auth"),
      dedupeCrmEvents: consumer(streams.crmEvents, "dedupe-crm"),
    },
  };
}

/** The catalogue for one prefix. */
export type NatsCatalog = ReturnType<typeof natsCatalog>;
