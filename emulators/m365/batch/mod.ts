import type { GraphModule } from "../module.ts";
import { batchRoutes } from "./routes.ts";

/** JSON batching (`POST /v1.0/$batch`). */
export const batchModule: GraphModule = { name: "batch", graphRoutes: batchRoutes };
