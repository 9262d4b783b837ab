import { useEffect, useRef, useState } from "preact/hooks";
import {
  type Api,
  ApiError,
  type RenderedTemplate,
  type Template,
  type TemplateBodies,
  type TemplateDraft,
} from "../api.js";
import { Empty, ErrorNote } from "../components.js";
import { channelName, fullTime, shortTime } from "../format.js";

export function TemplateList(props: { api: Api }) {
  const [templates, setTemplates] = useState<Template[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    props.api.templates().then(
      (page) => setTemplates(page.results),
      (failure: Error) => setError(failure.message),
    );
  }, [props.api]);

  return (
    <section aria-labelledby="templates-title">
      <div class="section-head">
        <h1 id="templates-title">Templates</h1>
        <div class="actions">
          <a class="button primary" href="#/templates/new">
            New template
          </a>
        </div>
      </div>
      <ErrorNote error={error} />
      {templates === null ? (
        error ? null : (
          <div class="placeholder" aria-busy="true">
            Loading templates…
          </div>
        )
      ) : templates.length === 0 ? (
        <Empty title="No templates yet">
          Create one here, with POST /api/templates/, or with notification-service templates apply -f FILE.
        </Empty>
      ) : (
        <table class="table templates" aria-describedby="templates-title">
          <thead>
            <tr>
              <th scope="col">Key</th>
              <th scope="col">Description</th>
              <th scope="col">Locales</th>
              <th scope="col">Channels</th>
              <th scope="col" class="col-time">
                Updated
              </th>
            </tr>
          </thead>
          <tbody>
            {templates.map((template) => (
              <tr key={template.key} class="row" data-key={template.key}>
                <td>
                  <a href={`#/templates/${encodeURIComponent(template.key)}`}>{template.key}</a>
                </td>
                <td>{template.description}</td>
                <td>
                  {Object.keys(template.locales)
                    .map((locale) => (locale === template.default_locale ? `${locale} (default)` : locale))
                    .join(", ")}
                </td>
                <td>
                  {[...new Set(Object.values(template.locales).flatMap((bodies) => Object.keys(bodies)))]
                    .map(channelName)
                    .join(", ")}
                </td>
                <td class="col-time">
                  <time dateTime={template.updated_at} title={fullTime(template.updated_at)}>
                    {shortTime(template.updated_at)}
                  </time>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** The editable fields of one locale, as text: an empty channel is left out when saving. */
interface LocaleFields {
  sms: string;
  emailSubject: string;
  emailText: string;
  emailHtml: string;
  telegram: string;
  telegramHtml: boolean;
}

const EMPTY_LOCALE: LocaleFields = {
  sms: "",
  emailSubject: "",
  emailText: "",
  emailHtml: "",
  telegram: "",
  telegramHtml: false,
};

/** The editor's text boxes, in order: the field each edits, and the API field its problems are named after. */
const SOURCES: {
  id: string;
  label: string;
  field: Exclude<keyof LocaleFields, "telegramHtml">;
  channel: string;
  part: string;
}[] = [
  { id: "sms", label: "SMS text", field: "sms", channel: "sms", part: "text" },
  { id: "email-subject", label: "Email subject", field: "emailSubject", channel: "email", part: "subject" },
  { id: "email-text", label: "Email text", field: "emailText", channel: "email", part: "text" },
  {
    id: "email-html",
    label: "Email HTML (values are HTML-escaped)",
    field: "emailHtml",
    channel: "email",
    part: "html",
  },
  { id: "telegram", label: "Telegram text", field: "telegram", channel: "telegram", part: "text" },
];

function fieldsOf(bodies: TemplateBodies): LocaleFields {
  return {
    sms: bodies.sms?.text ?? "",
    emailSubject: bodies.email?.subject ?? "",
    emailText: bodies.email?.text ?? "",
    emailHtml: bodies.email?.html ?? "",
    telegram: bodies.telegram?.text ?? "",
    telegramHtml: bodies.telegram?.parse_mode === "HTML",
  };
}

function bodiesOf(fields: LocaleFields): TemplateBodies {
  const bodies: TemplateBodies = {};
  if (fields.sms) bodies.sms = { text: fields.sms };
  if (fields.emailSubject || fields.emailText || fields.emailHtml) {
    bodies.email = {
      text: fields.emailText,
      ...(fields.emailSubject ? { subject: fields.emailSubject } : {}),
      ...(fields.emailHtml ? { html: fields.emailHtml } : {}),
    };
  }
  if (fields.telegram) {
    bodies.telegram = {
      text: fields.telegram,
      ...(fields.telegramHtml ? { parse_mode: "HTML" as const } : {}),
    };
  }
  return bodies;
}

const SAMPLE_USER = { first_name: "Ada", last_name: "Lovelace", email: "ada@example.com" };

/** Where a problem the service named belongs: "locales.en.sms.text" or a render error's "locale en, sms text". */
function fieldKey(locale: string, channel: string, field: string): string {
  return `locales.${locale}.${channel}.${field}`;
}

function placeErrors(fields: Record<string, string[]>): Record<string, string[]> {
  const placed: Record<string, string[]> = {};
  const add = (key: string, message: string) => {
    placed[key] = [...(placed[key] ?? []), message];
  };
  for (const [field, messages] of Object.entries(fields)) {
    for (const message of messages) {
      const render = /locale (\S+), (sms|email|telegram) (text|subject|html): (.*)$/.exec(message);
      if (field === "template" && render) add(fieldKey(render[1]!, render[2]!, render[3]!), render[4]!);
      else add(field, message);
    }
  }
  return placed;
}

export function TemplateEditor(props: { api: Api; templateKey: string | null }) {
  const { api, templateKey } = props;
  const existing = templateKey !== null;
  const [key, setKey] = useState(templateKey ?? "");
  const [description, setDescription] = useState("");
  const [defaultLocale, setDefaultLocale] = useState("en");
  const [locales, setLocales] = useState<Record<string, LocaleFields>>({ en: { ...EMPTY_LOCALE } });
  const [selected, setSelected] = useState("en");
  const [newLocale, setNewLocale] = useState("");
  const [sampleData, setSampleData] = useState('{\n  "code": "123456"\n}');
  const [sampleUser, setSampleUser] = useState(JSON.stringify(SAMPLE_USER, null, 2));
  const [preview, setPreview] = useState<RenderedTemplate | null>(null);
  const [problems, setProblems] = useState<Record<string, string[]>>({});
  const [loadError, setLoadError] = useState<string | null>(null);
  const [saveMessage, setSaveMessage] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const loaded = useRef(!existing);

  useEffect(() => {
    if (templateKey === null) return;
    api.template(templateKey).then(
      (template) => {
        setDescription(template.description);
        setDefaultLocale(template.default_locale);
        setLocales(
          Object.fromEntries(Object.entries(template.locales).map(([tag, b]) => [tag, fieldsOf(b)])),
        );
        setSelected(template.default_locale);
        loaded.current = true;
      },
      (failure: Error) => setLoadError(failure.message),
    );
  }, [api, templateKey]);

  const draft = (): TemplateDraft => ({
    key,
    description,
    default_locale: defaultLocale,
    locales: Object.fromEntries(Object.entries(locales).map(([tag, fields]) => [tag, bodiesOf(fields)])),
  });

  // Live preview: the draft as the service renders it, a moment after the last change.
  const draftKey = JSON.stringify([draft(), selected, sampleData, sampleUser]);
  useEffect(() => {
    if (!loaded.current) return;
    const timer = setTimeout(async () => {
      let data: unknown;
      let user: unknown;
      try {
        data = JSON.parse(sampleData || "{}");
        user = JSON.parse(sampleUser || "null");
      } catch (failure) {
        setPreview(null);
        setProblems({ sample: [`The sample is not JSON: ${(failure as Error).message}`] });
        return;
      }
      const { key: _key, ...rest } = draft();
      try {
        setPreview(await api.previewTemplate(rest, data, user, selected));
        setProblems({});
      } catch (failure) {
        setPreview(null);
        setProblems(
          failure instanceof ApiError && Object.keys(failure.fields).length > 0
            ? placeErrors(failure.fields)
            : { preview: [(failure as Error).message] },
        );
      }
    }, 300);
    return () => clearTimeout(timer);
  }, [draftKey]);

  const save = async () => {
    setSaving(true);
    setSaveMessage(null);
    try {
      const saved = await api.saveTemplate(draft(), existing);
      setSaveMessage(`Saved ${saved.key}.`);
      if (!existing) location.hash = `#/templates/${encodeURIComponent(saved.key)}`;
    } catch (failure) {
      if (failure instanceof ApiError && Object.keys(failure.fields).length > 0) {
        setProblems(placeErrors(failure.fields));
        setSaveMessage("Not saved: see the problems below.");
      } else setSaveMessage(`Not saved: ${(failure as Error).message}`);
    } finally {
      setSaving(false);
    }
  };

  const fields = locales[selected] ?? EMPTY_LOCALE;
  const change = (patch: Partial<LocaleFields>) =>
    setLocales({ ...locales, [selected]: { ...fields, ...patch } });
  const otherProblems = Object.entries(problems).filter(
    ([field]) => !field.startsWith(`locales.${selected}.`),
  );

  if (loadError) {
    return (
      <section>
        <p class="back">
          <a href="#/templates">← All templates</a>
        </p>
        <ErrorNote error={loadError} />
      </section>
    );
  }

  return (
    <section aria-labelledby="template-title">
      <p class="back">
        <a href="#/templates">← All templates</a>
      </p>
      <div class="section-head">
        <h1 id="template-title">{existing ? `Template ${templateKey}` : "New template"}</h1>
        <div class="actions">
          <button type="button" class="primary" disabled={saving} onClick={save}>
            Save
          </button>
        </div>
      </div>
      {saveMessage ? (
        <p class="note" role="status">
          {saveMessage}
        </p>
      ) : null}
      <div class="template-editor">
        <form class="card" aria-label="Template" onSubmit={(event) => event.preventDefault()}>
          {existing ? null : (
            <Field id="template-key" label="Key" problems={problems.key}>
              <input id="template-key" value={key} onInput={(event) => setKey(event.currentTarget.value)} />
            </Field>
          )}
          <Field id="template-description" label="Description" problems={problems.description}>
            <input
              id="template-description"
              value={description}
              onInput={(event) => setDescription(event.currentTarget.value)}
            />
          </Field>
          <Field id="template-default-locale" label="Default locale" problems={problems.default_locale}>
            <select
              id="template-default-locale"
              value={defaultLocale}
              onChange={(event) => setDefaultLocale(event.currentTarget.value)}
            >
              {Object.keys(locales).map((tag) => (
                <option key={tag} value={tag}>
                  {tag}
                </option>
              ))}
            </select>
          </Field>
          <fieldset class="locale-tabs">
            <legend class="muted">Locale</legend>
            {Object.keys(locales).map((tag) => (
              <button
                key={tag}
                type="button"
                class={tag === selected ? "primary" : ""}
                aria-pressed={tag === selected}
                onClick={() => setSelected(tag)}
              >
                {tag}
              </button>
            ))}
            <input
              aria-label="New locale"
              placeholder="e.g. pt-BR"
              size={8}
              value={newLocale}
              onInput={(event) => setNewLocale(event.currentTarget.value.trim())}
            />
            <button
              type="button"
              disabled={!newLocale || newLocale in locales}
              onClick={() => {
                setLocales({ ...locales, [newLocale]: { ...EMPTY_LOCALE } });
                setSelected(newLocale);
                setNewLocale("");
              }}
            >
              Add locale
            </button>
            {Object.keys(locales).length > 1 ? (
              <button
                type="button"
                class="danger"
                onClick={() => {
                  const { [selected]: _removed, ...rest } = locales;
                  const first = Object.keys(rest)[0]!;
                  setLocales(rest);
                  setSelected(first);
                  if (defaultLocale === selected) setDefaultLocale(first);
                }}
              >
                Remove {selected}
              </button>
            ) : null}
          </fieldset>
          {(problems[`locales.${selected}`] ?? []).map((problem) => (
            <p key={problem} class="field-error">
              {problem}
            </p>
          ))}
          {SOURCES.map((source) => (
            <Source
              key={source.id}
              id={source.id}
              label={source.label}
              value={fields[source.field]}
              problems={problems[fieldKey(selected, source.channel, source.part)]}
              onInput={(value) => change({ [source.field]: value })}
            />
          ))}
          <label class="checkbox">
            <input
              type="checkbox"
              checked={fields.telegramHtml}
              onChange={(event) => change({ telegramHtml: event.currentTarget.checked })}
            />{" "}
            Telegram text is HTML (parse_mode HTML; values are HTML-escaped)
          </label>
        </form>
        <section class="card" aria-labelledby="preview-title">
          <h2 id="preview-title">Preview ({selected})</h2>
          <Field id="sample-data" label="Sample data (JSON)" problems={problems.data}>
            <textarea
              id="sample-data"
              value={sampleData}
              onInput={(event) => setSampleData(event.currentTarget.value)}
            />
          </Field>
          <Field id="sample-user" label="Sample user (JSON)" problems={problems.user}>
            <textarea
              id="sample-user"
              value={sampleUser}
              onInput={(event) => setSampleUser(event.currentTarget.value)}
            />
          </Field>
          {otherProblems.length > 0 ? (
            <div class="note note-error" role="alert">
              {otherProblems.map(([field, messages]) => (
                <p key={field}>
                  {field}: {messages.join(" ")}
                </p>
              ))}
            </div>
          ) : null}
          <div class="template-preview" aria-live="polite">
            {preview ? (
              <PreviewBodies preview={preview} />
            ) : (
              <p class="muted">No preview while there are problems.</p>
            )}
          </div>
        </section>
      </div>
    </section>
  );
}

function Field(props: {
  id: string;
  label: string;
  problems?: string[];
  children: preact.ComponentChildren;
}) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      {props.children}
      {(props.problems ?? []).map((problem) => (
        <p key={problem} class="field-error" data-field={props.id}>
          {problem}
        </p>
      ))}
    </div>
  );
}

function Source(props: {
  id: string;
  label: string;
  value: string;
  problems?: string[];
  onInput: (value: string) => void;
}) {
  const id = `template-${props.id}`;
  return (
    <Field id={id} label={props.label} problems={props.problems}>
      <textarea
        id={id}
        spellcheck={false}
        value={props.value}
        aria-invalid={props.problems ? true : undefined}
        onInput={(event) => props.onInput(event.currentTarget.value)}
      />
    </Field>
  );
}

function PreviewBodies({ preview }: { preview: RenderedTemplate }) {
  const { sms, email, telegram } = preview.rendered;
  return (
    <>
      <p class="muted">Rendered in locale {preview.locale}</p>
      {sms ? (
        <div class="rendered-body" data-channel="sms">
          <h3>SMS</h3>
          <pre class="message-body">{sms.text}</pre>
        </div>
      ) : null}
      {email ? (
        <div class="rendered-body" data-channel="email">
          <h3>Email</h3>
          {email.subject ? <p class="subject-line">{email.subject}</p> : null}
          <pre class="message-body">{email.text}</pre>
          {email.html ? (
            <>
              <h3>Email HTML (source)</h3>
              <pre class="message-body">{email.html}</pre>
            </>
          ) : null}
        </div>
      ) : null}
      {telegram ? (
        <div class="rendered-body" data-channel="telegram">
          <h3>Telegram{telegram.parse_mode ? ` (${telegram.parse_mode})` : ""}</h3>
          <pre class="message-body">{telegram.text}</pre>
        </div>
      ) : null}
    </>
  );
}
