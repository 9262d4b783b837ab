/**
 * Templates, scheduled sends, expiry and quiet hours (docs/templates.md).
 * - templates: a body per locale and channel, kept as JSON because it is read and written whole.
 * - users: the locale templates render in, and the time zone and window of their quiet hours.
 * - notifications: what a template rendered to (so editing the template later never changes what a
 *   past notification said), when it expires, whether it may ignore quiet hours, and the status
 *   `expired`. A scheduled notification is only a pending row whose next_attempt_at is later.
 */
export const templatesAndScheduling = {
  name: "009-templates-and-scheduling",
  sql: `
CREATE TABLE templates (
  key text PRIMARY KEY,
  description text NOT NULL DEFAULT '',
  default_locale text NOT NULL,
  locales jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE users
  ADD COLUMN locale text,
  ADD COLUMN timezone text,
  ADD COLUMN quiet_hours_start text,
  ADD COLUMN quiet_hours_end text;

ALTER TABLE notifications
  ADD COLUMN template text,
  ADD COLUMN locale text,
  ADD COLUMN rendered jsonb,
  ADD COLUMN expires_at timestamptz,
  ADD COLUMN priority text NOT NULL DEFAULT 'normal' CHECK (priority IN ('normal', 'critical'));
ALTER TABLE notifications DROP CONSTRAINT notifications_status_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_status_check
  CHECK (status IN ('pending', 'sent', 'failed', 'cancelled', 'expired'));
`,
};
