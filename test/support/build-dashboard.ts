/** Vitest global setup: the dashboard is built once before any test, so /dashboard serves the current source. */
import { buildDashboard } from "../../dashboard/build.js";

export default async function setup(): Promise<void> {
  await buildDashboard();
}
