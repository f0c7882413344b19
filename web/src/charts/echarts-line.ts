// ECharts for the indicator time series: line charts with grid, legend, tooltip, zoom and alert mark lines.
// Loaded on demand as its own chunk; the core it shares with the Sankey is a chunk of its own. Drawn as SVG, so
// that its text is real text (a phone test can measure that no label prints over another).
import { LineChart } from 'echarts/charts';
import {
  DataZoomInsideComponent,
  DataZoomSliderComponent,
  GridComponent,
  LegendScrollComponent,
  MarkLineComponent,
  TooltipComponent,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer, SVGRenderer } from 'echarts/renderers';

echarts.use([
  LineChart,
  GridComponent,
  TooltipComponent,
  LegendScrollComponent,
  MarkLineComponent,
  DataZoomInsideComponent,
  DataZoomSliderComponent,
  CanvasRenderer,
  SVGRenderer,
]);

export { echarts };
