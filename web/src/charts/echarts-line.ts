// ECharts for the indicator time series: line charts with grid, legend, tooltip and alert mark lines.
// Loaded on demand as its own chunk; the core it shares with the Sankey is a chunk of its own.
import { LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([LineChart, GridComponent, TooltipComponent, LegendComponent, MarkLineComponent, CanvasRenderer]);

export { echarts };
