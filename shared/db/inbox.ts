import { type PgSchema, text, timestamp } from "drizzle-orm/pg-core";

/**
 * The table in which a service records the ids of NATS messages it has acted on, written in the
 * same transaction as the effect, so a redelivered message changes nothing the second time.
 */
export function processedMessagesTable(schema: PgSchema) {
  return schema.table("processed_messages", {
    messageId: text("message_id").primaryKey(),
    consumer: text("consumer").notNull(),
    processedAt: timestamp("processed_at", { withTimezone: true }).notNull().defaultNow(),
  });
}
