/** A tenant is a merchant or a property; every request, workflow id and row carries one. */
export type TenantId = string;

export const TENANT_ID_PATTERN = /^[a-z][a-z0-9-]{1,39}$/;

export function isTenantId(value: string): value is TenantId {
  return TENANT_ID_PATTERN.test(value);
}
