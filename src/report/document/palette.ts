/** Layer colours, shared by the HTML report's CSS (`.l0`-`.l4`) and its SVG figures. */
export const PALETTE = [
  { fill: '#dbeafe', stroke: '#2563eb', text: '#1e3a8a' }, // link: blue
  { fill: '#dcfce7', stroke: '#16a34a', text: '#14532d' }, // network: green
  { fill: '#fef3c7', stroke: '#d97706', text: '#78350f' }, // transport: amber
  { fill: '#fae8ff', stroke: '#a21caf', text: '#581c87' }, // application: purple
  { fill: '#e0f2fe', stroke: '#0369a1', text: '#0c4a6e' },
] as const;

export function colour(index: number): (typeof PALETTE)[number] {
  return PALETTE[index % PALETTE.length] ?? PALETTE[0];
}
