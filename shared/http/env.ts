/** The tenant a CRM request was authenticated as. */
export interface TenantPrincipal {
  tenantId: string;
  /** A8: whether the tenant's sync feature is switched on. */
  syncEnabled: boolean;
}

/** Hono environment shared by every service app. */
export interface AppEnv {
  Variables: {
    requestId: string;
    tenant: TenantPrincipal;
  };
}
