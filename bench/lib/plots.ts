// Writes the results page's plots as SVG. The charts are simple log-x line
// charts, so a few lines of SVG text do the job without a plotting library.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { BenchResults } from "./report.js";

/** One line of a chart: label, colour and (x, y) points. */
interface Series {
  readonly label: string;
  readonly color: string;
  readonly dashed?: boolean;
  readonly points: readonly [number, number][];
}

const WIDTH = 640;
const HEIGHT = 360;
const MARGIN = { left: 64, right: 180, top: 36, bottom: 48 };

function niceMax(value: number): number {
  if (!(value > 0)) return 1;
  const step = 10 ** Math.floor(Math.log10(value));
  return Math.ceil(value / step) * step;
}

/** Renders a line chart with a logarithmic x axis and a linear y axis. */
function lineChart(
  title: string,
  xLabel: string,
  yLabel: string,
  xTicks: readonly number[],
  series: readonly Series[],
): string {
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const [xMin, xMax] = [
    Math.log(xTicks[0] ?? 1),
    Math.log(xTicks.at(-1) ?? 10),
  ];
  const yMax = niceMax(
    Math.max(...series.flatMap((s) => s.points.map((p) => p[1]))),
  );
  const x = (v: number) =>
    MARGIN.left + ((Math.log(v) - xMin) / (xMax - xMin)) * plotW;
  const y = (v: number) => MARGIN.top + plotH - (v / yMax) * plotH;

  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${WIDTH / 2}" y="20" text-anchor="middle" font-size="14">${title}</text>`,
    `<line x1="${MARGIN.left}" y1="${MARGIN.top + plotH}" x2="${MARGIN.left + plotW}" y2="${MARGIN.top + plotH}" stroke="black"/>`,
    `<line x1="${MARGIN.left}" y1="${MARGIN.top}" x2="${MARGIN.left}" y2="${MARGIN.top + plotH}" stroke="black"/>`,
    `<text x="${MARGIN.left + plotW / 2}" y="${HEIGHT - 10}" text-anchor="middle">${xLabel}</text>`,
    `<text transform="translate(16 ${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle">${yLabel}</text>`,
  ];

  for (const tick of xTicks) {
    parts.push(
      `<text x="${x(tick)}" y="${MARGIN.top + plotH + 16}" text-anchor="middle">${tick}</text>`,
    );
  }
  for (let i = 0; i <= 4; i++) {
    const value = (yMax * i) / 4;
    parts.push(
      `<line x1="${MARGIN.left}" y1="${y(value)}" x2="${MARGIN.left + plotW}" y2="${y(value)}" stroke="#ddd"/>`,
      `<text x="${MARGIN.left - 6}" y="${y(value) + 4}" text-anchor="end">${Number(value.toPrecision(3))}</text>`,
    );
  }

  series.forEach((s, i) => {
    const path = s.points
      .map(([px, py]) => `${x(px).toFixed(1)},${y(py).toFixed(1)}`)
      .join(" ");
    const dash = s.dashed === true ? ` stroke-dasharray="6 4"` : "";
    const legendY = MARGIN.top + 10 + i * 18;
    parts.push(
      `<polyline fill="none" stroke="${s.color}" stroke-width="2"${dash} points="${path}"/>`,
      ...s.points.map(
        ([px, py]) =>
          `<circle cx="${x(px).toFixed(1)}" cy="${y(py).toFixed(1)}" r="3" fill="${s.color}"/>`,
      ),
      `<line x1="${WIDTH - MARGIN.right + 12}" y1="${legendY}" x2="${WIDTH - MARGIN.right + 36}" y2="${legendY}" stroke="${s.color}" stroke-width="2"${dash}/>`,
      `<text x="${WIDTH - MARGIN.right + 42}" y="${legendY + 4}">${s.label}</text>`,
    );
  });
  parts.push("</svg>");
  return `${parts.join("\n")}\n`;
}

function latencyChart(results: BenchResults): string | undefined {
  const points = results.ungated?.points;
  if (points === undefined) return undefined;
  const series = (
    server: string,
    field: "p50Ms" | "p99Ms",
    color: string,
  ): Series => ({
    label: `${server} ${field.slice(0, 3)}`,
    color,
    dashed: field === "p99Ms",
    points: points
      .filter((p) => p.server === server)
      .map((p) => [p.concurrency, p[field]] as [number, number])
      .sort((a, b) => a[0] - b[0]),
  });
  const ticks = [...new Set(points.map((p) => p.concurrency))].sort(
    (a, b) => a - b,
  );
  return lineChart(
    "Ungated AuthZReq latency against concurrency",
    "concurrent requests",
    "latency (ms)",
    ticks,
    [
      series("img-authz", "p50Ms", "#d62728"),
      series("img-authz", "p99Ms", "#d62728"),
      series("floor", "p50Ms", "#1f77b4"),
      series("floor", "p99Ms", "#1f77b4"),
    ],
  );
}

function scaleChart(results: BenchResults): string | undefined {
  const points = results.scale?.points;
  if (points === undefined) return undefined;
  const series = (delegations: number, color: string): Series => ({
    label: delegations === 0 ? "tags in targets" : `${delegations} delegations`,
    color,
    points: points
      .filter((p) => p.delegations === delegations)
      .map((p) => [p.tags, p.verifyMedianMs] as [number, number]),
  });
  const ticks = [...new Set(points.map((p) => p.tags))].sort((a, b) => a - b);
  return lineChart(
    "Full verification time against signed tags",
    "signed tags",
    "verify time (ms)",
    ticks,
    [series(0, "#2ca02c"), series(5, "#9467bd")],
  );
}

/** Writes latency-concurrency.svg and verify-tags.svg next to latest.json. */
export async function writePlots(
  results: BenchResults,
  outDir: string,
): Promise<void> {
  const latency = latencyChart(results);
  if (latency !== undefined)
    await writeFile(join(outDir, "latency-concurrency.svg"), latency);
  const scale = scaleChart(results);
  if (scale !== undefined)
    await writeFile(join(outDir, "verify-tags.svg"), scale);
}
