import { type Pool, withTransaction } from "./database.js";
import { IdempotencyKeysRepository } from "./idempotency-keys-repository.js";
import { NotificationsRepository } from "./notifications-repository.js";

/** Repositories bound to one transaction's connection. */
export interface TransactionRepositories {
  notifications: NotificationsRepository;
  idempotencyKeys: IdempotencyKeysRepository;
}

/** Runs `work` in one transaction: all of it is committed, or none of it. */
export type TransactionRunner = <T>(
  work: (repositories: TransactionRepositories) => Promise<T>,
) => Promise<T>;

export function transactionRunner(pool: Pool): TransactionRunner {
  return (work) =>
    withTransaction(pool, (client) =>
      work({
        notifications: new NotificationsRepository(client),
        idempotencyKeys: new IdempotencyKeysRepository(client),
      }),
    );
}
