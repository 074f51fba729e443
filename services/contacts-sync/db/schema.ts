import { pgSchema } from "drizzle-orm/pg-core";
import { processedMessagesTable } from "@app/shared/db";

/** contacts-sync's own Postgres schema; no other service reads it. */
export const contactsSyncSchema = pgSchema("contacts_sync");

/** Ids of NATS messages already acted on (idempotent consumers). */
export const processedMessages = processedMessagesTable(contactsSyncSchema);

export const schema = { processedMessages };
