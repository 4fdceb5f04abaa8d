import { expect, test } from 'vitest';
import { dependencyGraph } from '../../../src/ui/panels/graph/model';
import { fitViewBox, panViewBox, zoomViewBox } from '../../../src/ui/panels/graph/view-box';
import type { DistributionView } from '../../../src/ui/panels/types';

const dist = (name: string, over: Partial<DistributionView> = {}): DistributionView => ({
  name, version: '1.0', summary: null, requested: false, requires: [], requiredBy: [], location: '/sp', latest: null, vulnerabilities: null, ...over,
});

test('nodes by normalized name, edges to installed distributions only, labelled with the requirement', () => {
  const graph = dependencyGraph({
    name: 'base', prefix: '/', sitePackages: '/sp',
    distributions: [
      dist('Requests', { requested: true, requires: [{ name: 'charset_normalizer', specifier: '<4,>=2', marker: null }, { name: 'PySocks', specifier: '!=1.5.7,>=1.5.6', marker: 'extra == "socks"' }] }),
      dist('charset-normalizer', { vulnerabilities: [{ id: 'PYSEC-1', fixedIn: ['3.0'], link: null }] }),
      dist('loop-a', { requires: [{ name: 'loop-b', specifier: '', marker: null }] }),
      dist('loop-b', { requires: [{ name: 'loop_a', specifier: '', marker: null }] }),
    ],
  });
  expect(graph.nodes.map((n) => `${n.id}:${n.kind}`)).toEqual(['requests:requested', 'charset-normalizer:vulnerable', 'loop-a:dependency', 'loop-b:dependency']);
  expect(graph.edges).toEqual([
    { from: 'requests', to: 'charset-normalizer', label: 'Requests → charset_normalizer <4,>=2' },
    { from: 'loop-a', to: 'loop-b', label: 'loop-a → loop-b' },
    { from: 'loop-b', to: 'loop-a', label: 'loop-b → loop_a' },
  ]);
  expect(graph.missing).toEqual([{ from: 'Requests', requirement: 'PySocks !=1.5.7,>=1.5.6; extra == "socks"' }]);
});

test('zoom keeps the point under the pointer in place and stays within limits; pan moves the window', () => {
  const fit = fitViewBox({ width: 200, height: 100 }, 0);
  expect(fit).toEqual({ x: 0, y: 0, width: 200, height: 100 });
  const zoomed = zoomViewBox(fit, 2, { x: 50, y: 50 }, fit);
  expect(zoomed).toEqual({ x: 25, y: 25, width: 100, height: 50 });
  // The point keeps its place: (50-25)/100 of the way across, as (50-0)/200 before.
  expect((50 - zoomed.x) / zoomed.width).toBe((50 - fit.x) / fit.width);
  expect(zoomViewBox(fit, 1000, { x: 0, y: 0 }, fit).width).toBe(200 / 8);
  expect(zoomViewBox(fit, 0.001, { x: 0, y: 0 }, fit).width).toBe(200 * 4);
  expect(panViewBox(fit, 10, -5)).toEqual({ x: 10, y: -5, width: 200, height: 100 });
});
