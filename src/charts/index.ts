/**
 * Charts for Slack posts: data in, PNG bytes and alt text out. Pure: no I/O beyond reading the
 * bundled fonts once. See docs/charts.md.
 */
import { type Chart, toChart } from './chart.js';
import { type HeatMapInput, heatMapScene } from './heat-map.js';
import { type LeaderboardInput, leaderboardSvg } from './leaderboard.js';
import { type PersonalInput, personalSvg } from './personal.js';
import { rasteriseScene } from './raster.js';
import { type TeamTrendInput, teamTrendSvg } from './team-trend.js';

export type { Chart, ChartSvg } from './chart.js';
export { ALT_MAX } from './chart.js';
export { HEAT_MAX_ROWS, HEAT_PANEL_ROWS, type HeatMapInput, type HeatRow, heatMapScene, heatMapSvg, selectHeatRows } from './heat-map.js';
export { type LeaderboardInput, leaderboardSvg } from './leaderboard.js';
export { type PersonalInput, personalSvg, streakWeeks } from './personal.js';
export { MAX_PNG_BYTES, weekLabel } from './style.js';
export { type TeamTrendInput, teamTrendSvg } from './team-trend.js';

export const teamTrendChart = (d: TeamTrendInput): Chart => toChart(teamTrendSvg(d));
/** The heat map is drawn from its scene without a full-size resvg render (raster.ts, docs/charts.md). */
export function heatMapChart(d: HeatMapInput): Chart {
  const { title, filename, alt, scene } = heatMapScene(d);
  return { title, filename, alt, png: rasteriseScene(scene) };
}
export const leaderboardChart = (d: LeaderboardInput): Chart => toChart(leaderboardSvg(d));
export const personalChart = (d: PersonalInput): Chart => toChart(personalSvg(d));
