import type { Page } from 'playwright-core';

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** `inner` lies wholly inside `outer` (to a hundredth of a pixel: fractional layout). */
export function inside(inner: Box, outer: Box): boolean {
  const e = 0.01;
  return inner.width > 0 && inner.height > 0 && inner.x >= outer.x - e && inner.y >= outer.y - e && inner.x + inner.width <= outer.x + outer.width + e && inner.y + inner.height <= outer.y + outer.height + e;
}

/** Where an element of the page's shadow root is drawn, and whether anything covers it. */
export interface Placement {
  box: Box;
  window: Box;
  /** What the page has at its centre and near its four corners is the element or inside it: nothing covers it. */
  uncovered: boolean;
}

/** The placement of the element `selector` names in <pipette-app>'s shadow root. */
export function placeOf(page: Page, selector: string): Promise<Placement> {
  return page.evaluate((selector) => {
    const app = document.querySelector('pipette-app')!.shadowRoot!;
    const element = app.querySelector(selector);
    if (!element) throw new Error(`no ${selector} in the page`);
    const b = element.getBoundingClientRect();
    const inset = Math.min(4, b.width / 4, b.height / 4);
    const points = [
      [b.x + b.width / 2, b.y + b.height / 2],
      [b.x + inset, b.y + inset],
      [b.right - inset, b.y + inset],
      [b.x + inset, b.bottom - inset],
      [b.right - inset, b.bottom - inset],
    ] as const;
    const uncovered =
      b.width > 0 &&
      points.every(([x, y]) => {
        const hit = app.elementFromPoint(x, y);
        return hit !== null && (hit === element || element.contains(hit));
      });
    return { box: { x: b.x, y: b.y, width: b.width, height: b.height }, window: { x: 0, y: 0, width: window.innerWidth, height: window.innerHeight }, uncovered };
  }, selector);
}
