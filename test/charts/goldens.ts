/** Renders each golden fixture (shared by `npm run goldens` and test/charts/goldens.test.ts). */
import { type Chart, heatMapChart, leaderboardChart, personalChart, teamTrendChart } from '../../src/charts/index.js';
import { GOLDENS, heatMap12, heatMap64, leaderboard, personal, teamTrend } from './fixtures.js';

export const GOLDEN_DIR = new URL('./goldens/', import.meta.url);

export function renderGolden(name: keyof typeof GOLDENS): Chart {
  switch (name) {
    case 'team-trend':
      return teamTrendChart(teamTrend);
    case 'heat-map-64':
      return heatMapChart(heatMap64);
    case 'heat-map-12':
      return heatMapChart(heatMap12);
    case 'leaderboard':
      return leaderboardChart(leaderboard);
    case 'personal':
      return personalChart(personal);
  }
}

export const GOLDEN_NAMES = Object.keys(GOLDENS) as Array<keyof typeof GOLDENS>;
