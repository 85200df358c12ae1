/** Sample marketplace items (static: the demo API has no storage). */
export const DEMO_ITEMS = [
  { id: 'item-1', name: 'Tea ceremony set', price: 12_800, currency: 'JPY', seller_region: 'JP' },
  { id: 'item-2', name: 'Oolong tea, 150 g', price: 650, currency: 'TWD', seller_region: 'TW' },
  { id: 'item-3', name: 'Egg tart mould', price: 88, currency: 'HKD', seller_region: 'HK' },
  { id: 'item-4', name: 'Pour-over kettle', price: 45, currency: 'USD', seller_region: 'US' },
] as const;

export function demoItemsPayload() {
  return { items: DEMO_ITEMS };
}
