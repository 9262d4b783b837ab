/**
 * Removes secrets from text that may reach an outcome, a log line or an error: vendor replies,
 * fetch errors (which can carry the request URL) and SMTP replies. Each secret is also removed in
 * the encoded forms it takes in a URL or a base64 SMTP AUTH line.
 */
export const REDACTED = "[redacted]";

export function redact(text: string, secrets: readonly (string | null | undefined)[]): string {
  let result = text;
  for (const form of secretForms(secrets)) result = result.split(form).join(REDACTED);
  return result;
}

function secretForms(secrets: readonly (string | null | undefined)[]): string[] {
  const forms = new Set<string>();
  for (const secret of secrets) {
    // Even a short secret is removed: a mangled reason is better than a leaked password.
    if (!secret) continue;
    forms.add(secret);
    forms.add(encodeURIComponent(secret));
    forms.add(Buffer.from(secret).toString("base64"));
  }
  // Longest first, so a secret that contains another is removed whole.
  return [...forms].sort((a, b) => b.length - a.length);
}
