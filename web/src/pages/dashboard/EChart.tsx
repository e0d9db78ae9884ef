// Minimal ECharts wrapper. Only the chart types and components the dashboard uses are registered
// (echarts/core tree-shaking), so the dashboard chunk stays small.
import { useEffect, useRef, useState } from 'react';
import { FONT_FAMILY, useLocale } from '../../i18n/I18nProvider';
import * as echarts from 'echarts/core';
import { BarChart, PieChart, RadarChart } from 'echarts/charts';
import { AriaComponent, GridComponent, LegendComponent, RadarComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { ComposeOption } from 'echarts/core';
import type { BarSeriesOption, PieSeriesOption, RadarSeriesOption } from 'echarts/charts';
import type { AriaComponentOption, GridComponentOption, LegendComponentOption, RadarComponentOption, TooltipComponentOption } from 'echarts/components';

// Aria: ECharts describes each chart (series, categories, values) in the container's aria-label, in
// the UI language, for screen readers (and for the browser tests, which cannot read a canvas).
echarts.use([BarChart, PieChart, RadarChart, AriaComponent, GridComponent, LegendComponent, RadarComponent, TooltipComponent, CanvasRenderer]);

export type ChartOption = ComposeOption<
  BarSeriesOption | PieSeriesOption | RadarSeriesOption | AriaComponentOption | GridComponentOption | LegendComponentOption | RadarComponentOption | TooltipComponentOption
>;

export function EChart({ option, height = 280, testId }: { option: ChartOption; height?: number; testId?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const { locale } = useLocale();
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const c = echarts.init(el, undefined, { renderer: 'canvas', locale: locale === 'zh-CN' ? 'ZH' : 'EN' });
    setGeneration((g) => g + 1);
    chart.current = c;
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(el);
    return () => {
      ro.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, [locale]);

  useEffect(() => {
    // the app font (with CJK glyphs) for every label; the canvas default would show tofu
    const apply = () => chart.current?.setOption({ textStyle: { fontFamily: FONT_FAMILY }, aria: { enabled: true }, ...option }, { notMerge: true });
    apply();
    // The web font comes in unicode-range subsets that the browser fetches only for text in the DOM;
    // canvas text does not trigger that, so load the subsets for the labels' characters, then redraw.
    let live = true;
    const chars = [...new Set(JSON.stringify(option).match(/[^\x00-\x7f]/g) ?? [])].join('');
    if (chars && document.fonts?.load) {
      document.fonts
        .load(`12px ${FONT_FAMILY}`, chars)
        .then((faces) => {
          if (live && faces.length) apply();
        })
        .catch(() => undefined);
    }
    return () => {
      live = false;
    };
  }, [option, generation]);

  return <div ref={ref} data-testid={testId} style={{ width: '100%', height }} />;
}
