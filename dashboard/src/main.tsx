import "./styles.css";
import { render } from "preact";
import { useEffect, useMemo, useState } from "preact/hooks";
import { Api } from "./api.js";
import { LiveFeed, type LiveState } from "./live.js";
import { type Route, useRoute } from "./router.js";
import { SuppressionsView, UserView } from "./views/audiences.js";
import { BroadcastsView } from "./views/broadcasts.js";
import { ChannelsView } from "./views/channels.js";
import { NotificationDetail } from "./views/notification-detail.js";
import { NotificationList } from "./views/notification-list.js";
import { OutboxView } from "./views/outbox.js";
import { SignIn } from "./views/sign-in.js";
import { TemplateEditor, TemplateList } from "./views/templates.js";
import { UsersView } from "./views/users.js";
import { WebhooksView } from "./views/webhooks.js";

/** The key lives for this tab only: closing it signs out. */
const KEY_STORAGE = "notification-service.api-key";

function App() {
  const [key, setKey] = useState(() => sessionStorage.getItem(KEY_STORAGE));
  const [notice, setNotice] = useState<string | null>(null);
  const signOut = (message: string | null) => {
    sessionStorage.removeItem(KEY_STORAGE);
    setKey(null);
    setNotice(message);
  };
  if (!key) {
    return (
      <SignIn
        notice={notice}
        onSignedIn={(accepted) => {
          sessionStorage.setItem(KEY_STORAGE, accepted);
          setNotice(null);
          setKey(accepted);
        }}
      />
    );
  }
  return (
    <Signedin
      apiKey={key}
      onSignOut={() => signOut(null)}
      onRefused={() => signOut("The API key is no longer accepted: it may have been revoked. Sign in again.")}
    />
  );
}

function Signedin(props: { apiKey: string; onSignOut: () => void; onRefused: () => void }) {
  const api = useMemo(() => new Api(props.apiKey, props.onRefused), [props.apiKey]);
  const live = useMemo(() => new LiveFeed(api.authorization(), props.onRefused), [api]);
  const [liveState, setLiveState] = useState<LiveState>(live.state);
  useEffect(() => {
    const off = live.onState(setLiveState);
    live.start();
    return () => {
      off();
      live.stop();
    };
  }, [live]);
  const route = useRoute();

  return (
    <div class="shell">
      <header class="topbar">
        <a class="brand" href="#/">
          <img src="/dashboard/favicon.svg" alt="" width="24" height="24" />
          <span>Notifications</span>
        </a>
        <nav class="tabs" aria-label="Sections">
          <Tab href="#/" active={route.view === "list" || route.view === "detail"}>
            Notifications
          </Tab>
          <Tab href="#/channels" active={route.view === "channels"}>
            Channels
          </Tab>
          <Tab href="#/templates" active={route.view === "templates" || route.view === "template"}>
            Templates
          </Tab>
          <Tab href="#/broadcasts" active={route.view === "broadcasts"}>
            Broadcasts
          </Tab>
          <Tab href="#/webhooks" active={route.view === "webhooks"}>
            Webhooks
          </Tab>
          <Tab href="#/users" active={route.view === "users" || route.view === "user"}>
            Users
          </Tab>
          <Tab href="#/suppressions" active={route.view === "suppressions"}>
            Suppressions
          </Tab>
          <Tab href="#/outbox" active={route.view === "outbox"}>
            Outbox
          </Tab>
        </nav>
        <div class="topbar-end">
          <LiveIndicator state={liveState} />
          <button type="button" class="link-button" onClick={props.onSignOut}>
            Sign out
          </button>
        </div>
      </header>
      <main class="content">{view(route, api, live)}</main>
    </div>
  );
}

function view(route: Route, api: Api, live: LiveFeed) {
  switch (route.view) {
    case "detail":
      return <NotificationDetail key={route.id} id={route.id} api={api} live={live} />;
    case "channels":
      return <ChannelsView api={api} live={live} />;
    case "outbox":
      return <OutboxView api={api} query={route.query} />;
    case "list":
      return <NotificationList api={api} live={live} query={route.query} />;
    case "templates":
      return <TemplateList api={api} />;
    case "webhooks":
      return <WebhooksView api={api} />;
    case "broadcasts":
      return <BroadcastsView api={api} query={route.query} />;
    case "template":
      return <TemplateEditor key={route.key ?? "new"} api={api} templateKey={route.key} />;
    case "users":
      return <UsersView api={api} live={live} query={route.query} />;
    case "user":
      return <UserView key={route.id} api={api} live={live} id={route.id} />;
    case "suppressions":
      return <SuppressionsView api={api} live={live} query={route.query} />;
  }
}

function Tab(props: { href: string; active: boolean; children: string }) {
  return (
    <a
      href={props.href}
      class={props.active ? "tab active" : "tab"}
      aria-current={props.active ? "page" : undefined}
    >
      {props.children}
    </a>
  );
}

const LIVE_TEXT: Record<LiveState, string> = {
  live: "Live",
  connecting: "Connecting…",
  offline: "Offline, retrying",
};

function LiveIndicator({ state }: { state: LiveState }) {
  return (
    <span class={`live live-${state}`} role="status" title="Live updates">
      <span class="live-dot" aria-hidden="true" />
      {LIVE_TEXT[state]}
    </span>
  );
}

const root = document.getElementById("app");
if (root) render(<App />, root);
