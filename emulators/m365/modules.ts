import { batchModule } from "./batch/mod.ts";
import { calendarModule } from "./calendar/mod.ts";
import { contactsModule } from "./contacts/mod.ts";
import { usersModule } from "./graph/users_module.ts";
import type { GraphModule } from "./module.ts";
import { subscriptionsModule } from "./subscriptions/mod.ts";

/** The modules the emulator runs by default, in registration order. */
export const defaultModules: GraphModule[] = [
  usersModule,
  contactsModule,
  calendarModule,
  subscriptionsModule,
  batchModule,
];
