import { useState } from "preact/hooks";
import { Api, Unauthorized } from "../api.js";
import { ErrorNote } from "../components.js";

export function SignIn(props: { notice: string | null; onSignedIn: (key: string) => void }) {
  const [key, setKey] = useState("");
  const [error, setError] = useState<string | null>(props.notice);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    const candidate = key.trim();
    if (!candidate) {
      setError("Enter an API key.");
      return;
    }
    setBusy(true);
    setError(null);
    try {
      // Any authenticated call tells whether the key is good.
      await new Api(candidate).notifications({ page: 1 });
      props.onSignedIn(candidate);
    } catch (failure) {
      setError(
        failure instanceof Unauthorized
          ? "That key was not accepted. Check it and try again."
          : (failure as Error).message,
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="sign-in">
      <form class="card sign-in-card" onSubmit={submit}>
        <h1>Notification Service</h1>
        <p class="muted">Sign in with an API key to see and manage deliveries.</p>
        <label for="api-key">API key</label>
        <input
          id="api-key"
          name="api-key"
          type="password"
          autocomplete="off"
          spellcheck={false}
          value={key}
          onInput={(event) => setKey(event.currentTarget.value)}
          aria-describedby="api-key-help"
        />
        <p id="api-key-help" class="hint">
          Kept in this browser tab only, and sent to this server as a Bearer header. Create one with{" "}
          <code>notification-service keys create</code>.
        </p>
        <ErrorNote error={error} />
        <button type="submit" class="primary" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </form>
    </main>
  );
}
