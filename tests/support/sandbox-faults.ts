import axios from 'axios';

/** The partners an order's journey calls: both sandbox carriers, the Shopify store and QuickBooks. */
export const ORDER_PARTNERS = ['easypost', 'easypost-b', 'shopify', 'quickbooks'];

/** Makes each partner's sandbox go wrong as `faults` says (error rates, lost answers…) until cleared. */
export async function injectFaults(
  sandboxUrl: string,
  partners: string[],
  faults: Record<string, unknown>,
): Promise<void> {
  for (const partner of partners)
    await axios.put(`${sandboxUrl}/__sandbox/faults/${partner}`, faults, { validateStatus: () => true });
}

/** Every sandbox partner answers normally again. */
export async function clearFaults(sandboxUrl: string): Promise<void> {
  await axios.delete(`${sandboxUrl}/__sandbox/faults`, { validateStatus: () => true });
}
