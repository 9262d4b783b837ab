import { beforeAll, describe, expect, it } from "vitest";
import { ValidationError } from "../../src/core/errors.js";
import { type LiquidEngines, liquidEngines, RENDER_TIME_LIMIT_MS } from "../../src/templates/liquid.js";
import { chooseLocale, compileTemplate, renderTemplate } from "../../src/templates/render-template.js";
import { validateTemplate } from "../../src/templates/template.js";

const user = {
  id: 1,
  email: "ada@example.com",
  first_name: "Ada",
  last_name: "Lovelace",
  phone_number: null,
  telegram_id: null,
  locale: "en",
};

describe("choosing a template's locale", () => {
  const available = ["en", "pt", "pt-PT", "zh-Hant-TW"];
  it("takes the exact tag, then shorter tags, then the same language, then the default", () => {
    expect(chooseLocale(available, "pt-PT", "en")).toBe("pt-PT");
    expect(chooseLocale(available, "pt-BR", "en")).toBe("pt");
    expect(chooseLocale(["en", "pt-PT"], "pt-BR", "en")).toBe("pt-PT");
    expect(chooseLocale(available, "zh-hant-tw", "en")).toBe("zh-Hant-TW");
    expect(chooseLocale(available, "de", "en")).toBe("en");
    expect(chooseLocale(available, null, "en")).toBe("en");
  });
});

describe("rendering a template", () => {
  let liquid: LiquidEngines;
  beforeAll(async () => {
    liquid = await liquidEngines();
  });
  const compiled = async (locales: object) =>
    compileTemplate(liquid, {
      ...(await validateTemplate({ key: "t", default_locale: "en", locales })),
      createdAt: new Date(0),
      updatedAt: new Date(0),
    });
  const render = async (
    locales: object,
    data: Record<string, unknown>,
    channels = ["sms", "email", "telegram"] as const,
  ) =>
    renderTemplate(liquid, await compiled(locales), null, channels, { data, user }, { maxTextLength: 100 });

  it("escapes values in HTML bodies only, and lets | raw through", async () => {
    const { rendered } = await render(
      {
        en: {
          sms: { text: "{{ data.v }}" },
          email: {
            subject: "{{ data.v }}",
            text: "{{ data.v }}",
            html: "<i>{{ data.v }}</i>{{ data.v | raw }}",
          },
          telegram: { text: "{{ data.v }}", parse_mode: "HTML" },
        },
      },
      { v: `<a href="x">&'` },
    );
    expect(rendered.sms?.text).toBe(`<a href="x">&'`);
    expect(rendered.email).toEqual({
      subject: `<a href="x">&'`,
      text: `<a href="x">&'`,
      html: `<i>&lt;a href=&#34;x&#34;&gt;&amp;&#39;</i><a href="x">&'`,
    });
    expect(rendered.telegram).toEqual({ text: "&lt;a href=&#34;x&#34;&gt;&amp;&#39;", parseMode: "HTML" });
  });

  it("names the field of a missing variable, and refuses an empty or over-long text", async () => {
    const locales = { en: { email: { subject: "{{ data.subject }}", text: "{{ data.body }}" } } };
    await expect(render(locales, { body: "x" })).rejects.toThrow(
      /template "t", locale en, email subject: undefined variable: data\.subject \(line 1, column 4\)/,
    );
    await expect(render(locales, { subject: "s", body: " " })).rejects.toThrow(
      /email text: rendered to an empty text/,
    );
    await expect(render(locales, { subject: "s", body: "x".repeat(101) })).rejects.toThrow(
      /rendered to 101 characters/,
    );
  });

  it("folds a subject to one line and sees only own properties of the data", async () => {
    const { rendered } = await render(
      { en: { email: { subject: "A\n  {{ data.s }}\n", text: "x" } } },
      { s: "B" },
      ["email"] as never,
    );
    expect(rendered.email?.subject).toBe("A B");
    await expect(render({ en: { sms: { text: "{{ data.constructor }}" } } }, {})).rejects.toThrow(
      ValidationError,
    );
  });

  it("says so when the locale has no body for any channel asked for", async () => {
    await expect(render({ en: { sms: { text: "x" } } }, {}, ["email"] as never)).rejects.toThrow(
      /has no body in locale en for channel email/,
    );
  });

  describe("out of time", () => {
    /** Data whose `pause` holds the process as a loaded machine would, while a render reads it. */
    const pausing = (pauses: number[]) => {
      const data: Record<string, unknown> = { code: "42" };
      Object.defineProperty(data, "pause", {
        enumerable: true,
        get() {
          const until = performance.now() + (pauses.shift() ?? 0);
          while (performance.now() < until);
          return "";
        },
      });
      return data;
    };
    // The pause falls between two parts of the text, where LiquidJS checks the time on its own.
    const locales = { en: { sms: { text: "{{ data.pause }}Your code is {{ data.code }}" } } };

    it("renders again a text the process was held up in once", async () => {
      const pauses = [RENDER_TIME_LIMIT_MS + 50];
      const { rendered } = await render(locales, pausing(pauses), ["sms"] as never);
      expect(rendered.sms?.text).toBe("Your code is 42");
      expect(pauses).toEqual([]);
    });

    it("refuses a text that runs out of time again, naming its field", async () => {
      const pauses = [RENDER_TIME_LIMIT_MS + 50, RENDER_TIME_LIMIT_MS + 50];
      await expect(render(locales, pausing(pauses), ["sms"] as never)).rejects.toThrow(
        new ValidationError({
          template: ['template "t", locale en, sms text: template render limit exceeded'],
        }),
      );
      expect(pauses).toEqual([]);
    });
  });
});
