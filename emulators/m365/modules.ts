import { calendarModule } from "./calendar/mod.ts";
import { usersModule } from "./graph/users_module.ts";
import type { GraphModule } from "./module.ts";

/** The modules the emulator runs by default, in registration order. */
export const defaultModules: GraphModule[] = [usersModule, calendarModule];
