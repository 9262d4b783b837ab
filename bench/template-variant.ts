/**
 * The template variant: the same ingest and drain as the plain run, with every notification
 * naming a template and its data instead of a message, so the bench shows what rendering costs
 * per notification next to the plain cost (the target: at most 1.25 × plain). The rendered text
 * starts with the marker, as a plain bench message does, so receipts and rows are followed the same way.
 */
import type { ApiClient } from "./api-client.js";
import { benchCode, marker } from "./providers/receipts.js";

export const BENCH_TEMPLATE_KEY = "bench-otp";

/** A realistic small template: a variable, a filter, a condition, three channels and two locales. */
const template = {
  key: BENCH_TEMPLATE_KEY,
  description: "bench: a one-time code",
  default_locale: "en",
  locales: {
    en: {
      sms: {
        text: "bench {{ data.marker }} Hello {{ user.first_name | default: 'there' }}, your code is {{ data.code }}.{% if data.minutes %} It expires in {{ data.minutes }} minutes.{% endif %}",
      },
      email: {
        subject: "Your code {{ data.code }}",
        text: "bench {{ data.marker }} Your code is {{ data.code }}.",
        html: "<p>bench {{ data.marker }} Your code is <b>{{ data.code }}</b>.</p>",
      },
      telegram: { text: "bench {{ data.marker }} Your code: <b>{{ data.code }}</b>", parse_mode: "HTML" },
    },
    ru: { sms: { text: "bench {{ data.marker }} Ваш код {{ data.code }}." } },
  },
};

export async function createBenchTemplate(client: ApiClient): Promise<void> {
  const response = await client.post("/api/templates/", template);
  if (response.status !== 201) {
    throw new Error(`could not create the bench template: HTTP ${response.status} ${response.body}`);
  }
}

/** The request body of template notification number `n` of a phase. */
export function templateNotificationBody(userId: number, phase: string, n: number): unknown {
  return {
    user: userId,
    template: BENCH_TEMPLATE_KEY,
    data: { marker: marker(phase, n), code: benchCode(n), minutes: 10 },
  };
}
