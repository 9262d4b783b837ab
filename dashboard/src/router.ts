/**
 * Hash routes, so the static server needs no fallback: #/, #/notifications/12, #/channels, #/outbox,
 * #/templates, #/templates/new, #/templates/otp, #/webhooks, #/broadcasts, #/users, #/users/3,
 * #/suppressions.
 */
import { useEffect, useState } from "preact/hooks";

export type Route =
  | { view: "list"; query: URLSearchParams }
  | { view: "detail"; id: number }
  | { view: "channels" }
  | { view: "outbox"; query: URLSearchParams }
  | { view: "templates" }
  | { view: "webhooks" }
  | { view: "broadcasts"; query: URLSearchParams }
  | { view: "users"; query: URLSearchParams }
  | { view: "user"; id: number }
  | { view: "suppressions"; query: URLSearchParams }
  /** key null: a new template. */
  | { view: "template"; key: string | null };

export function parseRoute(hash: string): Route {
  const [path = "", search = ""] = hash.replace(/^#/, "").split("?", 2);
  const query = new URLSearchParams(search);
  const detail = /^\/notifications\/(\d+)$/.exec(path);
  if (detail) return { view: "detail", id: Number(detail[1]) };
  if (path === "/channels") return { view: "channels" };
  if (path === "/outbox") return { view: "outbox", query };
  if (path === "/templates") return { view: "templates" };
  if (path === "/webhooks") return { view: "webhooks" };
  if (path === "/broadcasts") return { view: "broadcasts", query };
  if (path === "/suppressions") return { view: "suppressions", query };
  if (path === "/users") return { view: "users", query };
  const user = /^\/users\/(\d+)$/.exec(path);
  if (user) return { view: "user", id: Number(user[1]) };
  if (path === "/templates/new") return { view: "template", key: null };
  const template = /^\/templates\/([^/]+)$/.exec(path);
  if (template) return { view: "template", key: decodeURIComponent(template[1]!) };
  return { view: "list", query };
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const update = () => setRoute(parseRoute(location.hash));
    addEventListener("hashchange", update);
    return () => removeEventListener("hashchange", update);
  }, []);
  return route;
}

/** Replaces the query of the current hash route without adding a history entry per keystroke. */
export function replaceQuery(path: string, query: URLSearchParams): void {
  for (const [key, value] of [...query]) if (!value) query.delete(key);
  const search = query.toString();
  const hash = `#${path}${search ? `?${search}` : ""}`;
  if (hash !== location.hash) {
    history.replaceState(null, "", hash);
    dispatchEvent(new HashChangeEvent("hashchange"));
  }
}
