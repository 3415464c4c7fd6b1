/** Stock as routing and allocation see it: levels, what an order's lines ask for, what was held. */
export interface StockLevelView {
  sku: string;
  locationId: string;
  available: number;
}

export interface LineDemand {
  sku: string;
  quantity: number;
}

export interface StockAllocation {
  sku: string;
  locationId: string;
  quantity: number;
}
