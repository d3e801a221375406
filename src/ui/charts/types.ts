// Data shapes the chart components take.
export interface RadarSeries {
  name: string;
  values: number[];
  color: string;
  dashed?: boolean;
}

export interface StackedColumn {
  label: string;
  values: Record<string, number>;
}

export interface Bin {
  from: number;
  to: number;
  count: number;
}

export interface RangeRow {
  label: string;
  n: number;
  a: { median: number | null; p95: number | null };
  b: { median: number | null; p95: number | null };
}
