import type { GraphModule } from "../module.ts";
import { subscriptionRoutes } from "./routes.ts";

/** Change-notification subscriptions (`/v1.0/subscriptions`). */
export const subscriptionsModule: GraphModule = {
  name: "subscriptions",
  graphRoutes: subscriptionRoutes,
};
