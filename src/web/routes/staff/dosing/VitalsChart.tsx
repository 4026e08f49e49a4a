import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { VitalReadingView } from '../../../api/dosing';

const SERIES: { key: 'hr' | 'sbp' | 'dbp' | 'spo2' | 'rr'; label: string; stroke: string; dash?: number[] }[] = [
  { key: 'sbp', label: 'Systolic BP (mmHg)', stroke: '#b42318' },
  { key: 'dbp', label: 'Diastolic BP (mmHg)', stroke: '#e8590c', dash: [6, 4] },
  { key: 'hr', label: 'Heart rate (bpm)', stroke: '#1d3fbb' },
  { key: 'spo2', label: 'SpO₂ (%)', stroke: '#2b8a3e', dash: [2, 3] },
  { key: 'rr', label: 'Respiratory rate (/min)', stroke: '#7048e8', dash: [8, 3, 2, 3] },
];

/** Live chart of readings in time order (uPlot: fast with thousands of points). */
export function VitalsChart({ readings, timeZone }: { readings: VitalReadingView[]; timeZone: string }) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);

  useEffect(() => {
    if (!host.current) return;
    const width = Math.max(300, host.current.clientWidth);
    const opts: uPlot.Options = {
      width,
      height: 260,
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), timeZone),
      series: [{}, ...SERIES.map((s) => ({ label: s.label, stroke: s.stroke, width: 2, spanGaps: true, ...(s.dash ? { dash: s.dash } : {}) }))],
      axes: [{}, { label: 'value' }],
      scales: { x: { time: true } },
    };
    plot.current = new uPlot(opts, [[], [], [], [], [], []], host.current);
    const onResize = () => plot.current?.setSize({ width: Math.max(300, host.current?.clientWidth ?? 300), height: 260 });
    window.addEventListener('resize', onResize);
    return () => {
      window.removeEventListener('resize', onResize);
      plot.current?.destroy();
      plot.current = null;
    };
  }, [timeZone]);

  useEffect(() => {
    const data: uPlot.AlignedData = [
      readings.map((r) => Date.parse(r.at) / 1000),
      ...SERIES.map((s) => readings.map((r) => r[s.key])),
    ] as uPlot.AlignedData;
    plot.current?.setData(data);
  }, [readings]);

  return <div ref={host} className="vitals-chart" role="img" aria-label={`Vital signs chart, ${readings.length} readings; the table below lists them`} />;
}
