/**
 * Props for a wrapper that scrolls sideways (`.table-wrap` on a phone): keyboard users reach it with Tab
 * and scroll it with the arrow keys (WCAG 2.1.1, axe's `scrollable-region-focusable`).
 */
export const keyboardScrollable = { tabIndex: 0 } as const;
