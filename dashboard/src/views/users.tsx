import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import {
  type Api,
  ApiError,
  PAGE_SIZE,
  type Page,
  type TelegramLink,
  USER_CONTACTS,
  type User,
  type UserContact,
} from "../api.js";
import { Empty, ErrorNote, Pagination, useLiveReload } from "../components.js";
import { fullTime } from "../format.js";
import type { LiveFeed } from "../live.js";
import { changesUsers } from "../live-events.js";
import { replaceQuery } from "../router.js";

type Contacts = Record<UserContact, string>;
type FieldProblems = Partial<Record<string, string[]>>;

/** Plain text inputs: the service, not the browser, says what it cannot read, under the field. */
const CONTACT_FIELDS: { contact: UserContact; label: string; inputMode: string; placeholder: string }[] = [
  { contact: "email", label: "Email", inputMode: "email", placeholder: "Any case" },
  { contact: "phone_number", label: "Phone number", inputMode: "tel", placeholder: "Any notation" },
  { contact: "telegram_id", label: "Telegram chat id", inputMode: "text", placeholder: "e.g. 123456789" },
];

function contactsOf(query: URLSearchParams): Contacts {
  return {
    email: query.get("email") ?? "",
    phone_number: query.get("phone_number") ?? "",
    telegram_id: query.get("telegram_id") ?? "",
  };
}

/** Shows the users found by `search`: a new search (or none) drops the page and the erasure notice. */
function showUsers(search: Contacts, page = 1): void {
  const query = new URLSearchParams(search);
  if (page > 1) query.set("page", String(page));
  replaceQuery("/users", query);
}

const isContact = (field: string): field is UserContact =>
  (USER_CONTACTS as readonly string[]).includes(field);

/**
 * The recipients, newest first, or those with one contact: how an operator finds the user a
 * complaint is about. The search is in the address, so it can be bookmarked; a contact the service
 * could never have stored shows the service's words under its field. Live: a user created, changed
 * or erased anywhere reloads the page shown (at most every 400 ms).
 */
export function UsersView(props: { api: Api; live: LiveFeed; query: URLSearchParams }) {
  const contacts = contactsOf(props.query);
  const pageNumber = Math.max(1, Number(props.query.get("page")) || 1);
  const erased = props.query.get("erased");
  const searchKey = JSON.stringify({ ...contacts, page: pageNumber });
  const [page, setPage] = useState<Page<User> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [problems, setProblems] = useState<FieldProblems>({});

  // Only the newest load (of the newest search) may show its answer.
  const latestLoad = useRef(0);
  const load = useCallback(async () => {
    const thisLoad = ++latestLoad.current;
    const { page: pageAsked, ...search } = JSON.parse(searchKey) as Contacts & { page: number };
    try {
      const found = await props.api.users({ ...search, page: pageAsked });
      if (thisLoad !== latestLoad.current) return;
      setPage(found);
      setError(null);
      setProblems({});
    } catch (failure) {
      if (thisLoad !== latestLoad.current) return;
      // Past the last page (e.g. its users were erased meanwhile): back to the first.
      if (failure instanceof ApiError && failure.status === 404 && pageAsked > 1) {
        showUsers(search);
        return;
      }
      const fields = failure instanceof ApiError ? failure.fields : {};
      const named = Object.keys(fields);
      setPage(null);
      setProblems(fields);
      // A contact's problem shows under its field; anything else (the service away) above the list.
      setError(named.length > 0 && named.every(isContact) ? null : (failure as Error).message);
    }
  }, [props.api, searchKey]);
  useEffect(() => {
    void load();
    return () => {
      latestLoad.current += 1;
    };
  }, [load]);
  useLiveReload(props.live, changesUsers, load);

  const searching = USER_CONTACTS.some((contact) => contacts[contact]);
  const failed = error !== null || Object.keys(problems).length > 0;
  return (
    <section aria-labelledby="users-title">
      <div class="section-head">
        <h1 id="users-title">Users</h1>
        <span class="muted">The recipients, newest first; find one by a contact</span>
      </div>
      {erased ? (
        <p role="status" data-erased={erased}>
          User #{erased} was erased, with their notifications.
        </p>
      ) : null}
      <SearchForm contacts={contacts} problems={problems} onSearch={showUsers} />
      <ErrorNote error={error} />
      {page === null ? (
        failed ? null : (
          <div class="placeholder" aria-busy="true">
            Loading users…
          </div>
        )
      ) : page.results.length === 0 ? (
        searching ? (
          <Empty title="No user has that contact">
            An email matches in any case and a phone number in any notation; a Telegram chat id matches as
            digits.
          </Empty>
        ) : (
          <Empty title="No users yet">
            Users created with <code>POST /api/users/</code> appear here, newest first.
          </Empty>
        )
      ) : (
        <>
          <table class="table users" aria-describedby="users-title">
            <thead>
              <tr>
                <th scope="col" class="col-id">
                  #
                </th>
                <th scope="col">Email</th>
                <th scope="col">Name</th>
                <th scope="col">Phone</th>
                <th scope="col">Telegram</th>
              </tr>
            </thead>
            <tbody>
              {page.results.map((user) => (
                <UserRow key={user.id} user={user} />
              ))}
            </tbody>
          </table>
          <Pagination
            page={pageNumber}
            found={page}
            pageSize={PAGE_SIZE}
            onPage={(next) => showUsers(contacts, next)}
          />
        </>
      )}
    </section>
  );
}

function UserRow({ user }: { user: User }) {
  const href = `#/users/${user.id}`;
  const name = `${user.first_name} ${user.last_name}`.trim();
  return (
    <tr
      class="row"
      data-user={user.id}
      onClick={(event) => {
        // The whole row opens the user; the link inside stays the accessible way there.
        if (!(event.target instanceof HTMLAnchorElement)) location.hash = href;
      }}
    >
      <td class="col-id" data-label="User">
        <a href={href} aria-label={`User ${user.id}`}>
          {user.id}
        </a>
      </td>
      <td data-label="Email">{user.email}</td>
      <td data-label="Name">{name || <span class="muted">—</span>}</td>
      <td data-label="Phone">{user.phone_number ?? <span class="muted">—</span>}</td>
      <td data-label="Telegram">{user.telegram_id ?? <span class="muted">—</span>}</td>
    </tr>
  );
}

/** Searches when sent, not per keystroke: half a phone number is not a contact, and would only be a 400. */
function SearchForm(props: {
  contacts: Contacts;
  problems: FieldProblems;
  onSearch: (search: Contacts) => void;
}) {
  const { email, phone_number, telegram_id } = props.contacts;
  const [draft, setDraft] = useState<Contacts>(props.contacts);
  // The address can change the search too (a bookmark, the back button): follow it.
  useEffect(() => setDraft({ email, phone_number, telegram_id }), [email, phone_number, telegram_id]);
  const trimmed = (contacts: Contacts): Contacts => ({
    email: contacts.email.trim(),
    phone_number: contacts.phone_number.trim(),
    telegram_id: contacts.telegram_id.trim(),
  });
  const any = USER_CONTACTS.some((contact) => draft[contact] || props.contacts[contact]);

  return (
    <form
      class="filters user-search"
      aria-label="Find users"
      onSubmit={(event) => {
        event.preventDefault();
        props.onSearch(trimmed(draft));
      }}
    >
      {CONTACT_FIELDS.map(({ contact, label, inputMode, placeholder }) => {
        const id = `user-${contact.replace("_", "-")}`;
        const problems = props.problems[contact] ?? [];
        return (
          <div class="field" key={contact}>
            <label for={id}>{label}</label>
            <input
              id={id}
              inputMode={inputMode}
              placeholder={placeholder}
              value={draft[contact]}
              aria-invalid={problems.length > 0 ? "true" : undefined}
              aria-describedby={problems.length > 0 ? `${id}-problem` : undefined}
              onInput={(event) => {
                const value = event.currentTarget.value;
                setDraft((current) => ({ ...current, [contact]: value }));
              }}
            />
            {problems.length > 0 ? (
              <p id={`${id}-problem`} class="field-error" data-field={contact}>
                {problems.join(" ")}
              </p>
            ) : null}
          </div>
        );
      })}
      <div class="actions user-search-buttons">
        <button type="submit" class="primary">
          Search
        </button>
        {any ? (
          <button
            type="button"
            onClick={() => props.onSearch({ email: "", phone_number: "", telegram_id: "" })}
          >
            Clear
          </button>
        ) : null}
      </div>
    </form>
  );
}

/**
 * A single-use t.me link to pass on to the person (by email, a message, a QR code): opened in
 * Telegram and started, it makes their chat the one their notifications go to. Each press makes a
 * new link; while connect links are off, the service's answer says what to set.
 */
export function ConnectTelegram(props: { api: Api; user: User }) {
  const { api, user } = props;
  const [link, setLink] = useState<TelegramLink | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  const make = async () => {
    setBusy(true);
    setProblem(null);
    try {
      setLink(await api.telegramLink(user.id));
    } catch (failure) {
      setLink(null);
      setProblem((failure as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card telegram-link-card" aria-labelledby="telegram-link-title">
      <h2 id="telegram-link-title">Connect Telegram</h2>
      <p>
        A link for this person to open in Telegram and start: their chat becomes the one Telegram
        notifications go to{user.telegram_id ? `, instead of ${user.telegram_id}` : ""}.
      </p>
      <button type="button" onClick={make} disabled={busy}>
        {busy ? "Making…" : "Make a connect link"}
      </button>
      {link ? (
        <div class="field">
          <label for="telegram-link">Single use, until {fullTime(link.expires_at)}</label>
          <input
            id="telegram-link"
            readOnly
            value={link.url}
            data-telegram-link
            onFocus={(event) => event.currentTarget.select()}
          />
        </div>
      ) : null}
      <ErrorNote error={problem} />
    </section>
  );
}

/**
 * Erasing cannot be undone, so the button wakes only once the operator has typed this user's email
 * (or id): a stray click, or the page of the wrong user, must not be enough.
 */
export function EraseUser(props: { api: Api; user: User }) {
  const { api, user } = props;
  const [typed, setTyped] = useState("");
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const answer = typed.trim().toLowerCase();
  const confirmed = answer === user.email.toLowerCase() || answer === String(user.id);

  const erase = async (event: Event) => {
    event.preventDefault();
    if (!confirmed || busy) return;
    setBusy(true);
    setProblem(null);
    try {
      await api.eraseUser(user.id);
      // Replaced, not pushed: Back must not lead to the page of a user who is gone.
      location.replace(`#/users?erased=${user.id}`);
    } catch (failure) {
      setProblem(
        failure instanceof ApiError && failure.status === 404
          ? `User #${user.id} no longer exists: they were already erased.`
          : (failure as Error).message,
      );
      setBusy(false);
    }
  };

  return (
    <section class="card card-danger" aria-labelledby="erase-title">
      <h2 id="erase-title">Erase this user</h2>
      <p>
        Deletes the user, their preferences and their notifications with everything recorded about them
        (attempts, outbox entries, idempotency keys, webhook events), for good; the suppressions of their
        addresses stay.
      </p>
      <form class="erase-form" onSubmit={erase}>
        <div class="field">
          <label for="erase-confirmation">
            Type <strong>{user.email}</strong> (or the id {user.id}) to confirm
          </label>
          <input
            id="erase-confirmation"
            autocomplete="off"
            spellcheck={false}
            value={typed}
            onInput={(event) => setTyped(event.currentTarget.value)}
          />
        </div>
        <button type="submit" class="danger" disabled={!confirmed || busy}>
          {busy ? "Erasing…" : "Erase user"}
        </button>
      </form>
      <ErrorNote error={problem} />
    </section>
  );
}
