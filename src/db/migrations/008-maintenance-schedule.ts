/**
 * When each housekeeping task may next run, for the whole deployment: a worker that finds a
 * task's time come moves it on in the same statement, so one worker runs it and the others skip
 * it, however many there are. It replaces each worker running housekeeping on its own timer.
 */
export const maintenanceSchedule = {
  name: "008-maintenance-schedule",
  sql: `
CREATE TABLE maintenance_schedule (
  task text PRIMARY KEY,
  next_run_at timestamptz NOT NULL
);
`,
};
