import { Text } from '@mantine/core';
import { useI18n } from '../i18n/i18n';
import type { CompletionPoint } from './gradebook-live';

const WIDTH = 640;
const HEIGHT = 200;
const PAD = { left: 40, right: 16, top: 12, bottom: 28 };

/** Steps passed by the class over time, as a step line drawn in SVG. */
export function CompletionChart({
  series,
  maxSteps,
  now,
}: {
  series: CompletionPoint[];
  maxSteps: number;
  now: number;
}) {
  const { t, formatTime } = useI18n();
  if (series.length === 0)
    return (
      <Text c="dimmed" size="sm">
        {t('teach.chartEmpty')}
      </Text>
    );

  const start = series[0].at;
  const end = Math.max(now, series[series.length - 1].at, start + 60_000);
  const top = Math.max(maxSteps, series[series.length - 1].passed, 1);
  const x = (time: number) => PAD.left + ((time - start) / (end - start)) * (WIDTH - PAD.left - PAD.right);
  const y = (count: number) => HEIGHT - PAD.bottom - (count / top) * (HEIGHT - PAD.top - PAD.bottom);

  let path = `M ${x(start)} ${y(0)}`;
  for (const point of series) path += ` H ${x(point.at)} V ${y(point.passed)}`;
  path += ` H ${x(end)}`;

  const timeTicks = [0, 1 / 3, 2 / 3, 1].map((f) => start + f * (end - start));
  // Short spans (a demo, the first minutes of a class) need seconds to tell the ticks apart.
  const seconds = end - start < 10 * 60_000;
  const countTicks = [0, Math.round(top / 2), top];
  const label = t('teach.chartLabel', {
    count: series[series.length - 1].passed,
    first: formatTime(new Date(start)),
    last: formatTime(new Date(series[series.length - 1].at)),
  });

  return (
    <svg
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      className="chart"
      role="img"
      aria-label={label}
      data-testid="completion-chart"
    >
      <title>{label}</title>
      {countTicks.map((count) => (
        <g key={count}>
          <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(count)} y2={y(count)} className="chart-grid" />
          <text x={PAD.left - 6} y={y(count) + 4} textAnchor="end" className="chart-label">
            {count}
          </text>
        </g>
      ))}
      {timeTicks.map((time, index) => (
        <text
          key={time}
          x={x(time)}
          y={HEIGHT - 8}
          textAnchor={index === 0 ? 'start' : index === timeTicks.length - 1 ? 'end' : 'middle'}
          className="chart-label"
        >
          {formatTime(new Date(time), { seconds })}
        </text>
      ))}
      <path d={`${path} V ${y(0)} Z`} className="chart-area" />
      <path d={path} className="chart-line" />
      {series.map((point) => (
        <circle
          key={`${point.at}-${point.passed}`}
          cx={x(point.at)}
          cy={y(point.passed)}
          r={3}
          className="chart-dot"
        />
      ))}
    </svg>
  );
}
