import { batchModule } from "./batch/mod.ts";
import { calendarModule } from "./calendar/mod.ts";
import { contactsModule } from "./contacts/mod.ts";
import { mailboxSettingsModule } from "./graph/mailbox_settings_module.ts";
import { usersModule } from "./graph/users_module.ts";
import type { GraphModule } from "./module.ts";
import { subscriptionsModule } from "./subscriptions/mod.ts";

/** The modules the emulator runs by default, in registration order. */
export const defaultModules: GraphModule[] = [
  usersModule,
  mailboxSettingsModule,
  contactsModule,
  calendarModule,
  subscriptionsModule,
  batchModule,
];
