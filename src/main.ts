// The page's entry point: registers the components; <pipette-app> in index.html does the rest.
import './ui';
