import { pgSchema } from "drizzle-orm/pg-core";
import { processedMessagesTable } from "@app/shared/db";

/** dedupe's own Postgres schema; no other service reads it. */
export const dedupeSchema = pgSchema("dedupe");

/** Ids of NATS messages already acted on (idempotent consumers). */
export const processedMessages = processedMessagesTable(dedupeSchema);

export const schema = { processedMessages };
