import { PipetteGraph } from './pipette-graph';

customElements.define('pipette-graph', PipetteGraph);

declare global {
  interface HTMLElementTagNameMap {
    'pipette-graph': PipetteGraph;
  }
}

export { PipetteGraph };
export { layoutGraph, countCrossings, type GraphLayout, type LayoutInput, type LayoutOptions, type PlacedNode, type RoutedEdge } from './layout';
export { dependencyGraph, NodeKind, type DependencyGraph, type GraphEdge, type GraphNode } from './model';
export { fitViewBox, panViewBox, zoomViewBox, type ViewBox } from './view-box';
