import { pgSchema } from "drizzle-orm/pg-core";
import { processedMessagesTable } from "@app/shared/db";

/** calendar-sync's own Postgres schema; no other service reads it. */
export const calendarSyncSchema = pgSchema("calendar_sync");

/** Ids of NATS messages already acted on (idempotent consumers). */
export const processedMessages = processedMessagesTable(calendarSyncSchema);

export const schema = { processedMessages };
