/**
 * Zoom and pan as arithmetic on the SVG viewBox: the drawing never changes, only the window
 * onto it, so text stays crisp at any zoom.
 */
export interface ViewBox {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/**
 * The whole drawing with a margin around it. Given the viewport (the svg's size in pixels), the
 * box takes the viewport's shape and never magnifies: a small graph is drawn at its natural
 * size in the middle instead of blown up to fill the panel.
 */
export function fitViewBox(size: { readonly width: number; readonly height: number }, margin = 16, viewport?: { readonly width: number; readonly height: number }): ViewBox {
  const width = Math.max(size.width, 1) + 2 * margin;
  const height = Math.max(size.height, 1) + 2 * margin;
  if (!viewport || viewport.width <= 0 || viewport.height <= 0) return { x: 0 - margin, y: 0 - margin, width, height };
  const scale = Math.min(1, viewport.width / width, viewport.height / height);
  const w = viewport.width / scale;
  const h = viewport.height / scale;
  return { x: (size.width - w) / 2, y: (size.height - h) / 2, width: w, height: h };
}

/**
 * Zooms by `factor` (>1 closer) keeping the point `at` where it is on screen, between 1/8 and 4
 * times the size of `fit` (closer than 1/8 is a blur of one node, farther than 4 a dot).
 * Ex) zoomViewBox({0,0,100,100}, 2, {x:0,y:0}) -> {0,0,50,50}.
 */
export function zoomViewBox(vb: ViewBox, factor: number, at: { readonly x: number; readonly y: number }, fit: ViewBox): ViewBox {
  const scale = 1 / factor;
  const minWidth = fit.width / 8;
  const maxWidth = fit.width * 4;
  const width = Math.min(maxWidth, Math.max(minWidth, vb.width * scale));
  const s = width / vb.width;
  return { x: at.x - (at.x - vb.x) * s, y: at.y - (at.y - vb.y) * s, width, height: vb.height * s };
}

export function panViewBox(vb: ViewBox, dx: number, dy: number): ViewBox {
  return { x: vb.x + dx, y: vb.y + dy, width: vb.width, height: vb.height };
}
