import { displayPrefix, generateApiKey, hashApiKey } from "../core/api-keys.js";
import { NotFoundError, ValidationError } from "../core/errors.js";
import type { StoredApiKey } from "../core/model.js";
import type { ApiKeyStore } from "./ports.js";

export interface ApiKeyDeps {
  apiKeys: ApiKeyStore;
}

/** The only moment the key itself exists outside its holder's hands: it is returned once, then only its hash is kept. */
export async function createApiKey(
  deps: ApiKeyDeps,
  name: string,
): Promise<{ key: string; apiKey: StoredApiKey }> {
  const trimmed = name.trim();
  if (!trimmed || trimmed.length > 100)
    throw ValidationError.of("name", "Give the key a name of 1 to 100 characters.");
  const key = generateApiKey();
  return { key, apiKey: await deps.apiKeys.create(trimmed, displayPrefix(key), hashApiKey(key)) };
}

export async function listApiKeys(deps: ApiKeyDeps): Promise<StoredApiKey[]> {
  return deps.apiKeys.list();
}

export async function revokeApiKey(deps: ApiKeyDeps, id: number): Promise<StoredApiKey> {
  const revoked = await deps.apiKeys.revoke(id);
  if (!revoked) throw new NotFoundError(`API key ${id} not found.`);
  return revoked;
}

/** In development with no key anywhere, makes the first one so the quick start needs no setup step. */
export async function createFirstApiKey(deps: ApiKeyDeps): Promise<string | null> {
  const key = generateApiKey();
  const created = await deps.apiKeys.createIfNoneActive(
    "created at first start",
    displayPrefix(key),
    hashApiKey(key),
  );
  return created ? key : null;
}
