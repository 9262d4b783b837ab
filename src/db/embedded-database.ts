/**
 * The embedded PostgreSQL: PGlite (PostgreSQL compiled to WebAssembly) keeping its files in a
 * folder, served on a Unix socket by pglite-socket so the unchanged `pg` pool and repositories
 * talk to it exactly as to a server. For trying the service and small single-process installs.
 *
 * PGlite is one PostgreSQL session. Two connections to it would share prepared statements and
 * transactions, so the process keeps one connection (see app.ts), and a lock (data-directory-lock.ts)
 * keeps a second process from opening the same folder.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import type { Logger } from "../core/logger.js";
import { lockDataDirectory } from "./data-directory-lock.js";

export interface EmbeddedDatabase {
  /** A connection string for `pg` (a Unix socket only this user can reach). */
  url: string;
  dataDir: string;
  /** Stops serving, shuts PostgreSQL down cleanly (a checkpoint) and releases the folder. */
  close(): Promise<void>;
}

/**
 * PostgreSQL's buffer cache inside the WebAssembly memory. PGlite's 128 MB default is paid for in
 * full: the process's PSS was ~130 MiB lower with 16 MB, and the files it would cache sit in the
 * kernel's page cache anyway (measured in docs/embedded.md).
 */
const SHARED_BUFFERS = "16MB";

/** Longest Unix socket path Linux and macOS accept, with a margin. */
const MAX_SOCKET_PATH = 100;

export async function openEmbeddedDatabase(dataDir: string, logger: Logger): Promise<EmbeddedDatabase> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const releaseLock = lockDataDirectory(dataDir);
  let socketDir: string | null = null;
  let db: PGlite | null = null;
  try {
    const pgdata = join(dataDir, "postgres");
    if (!existsSync(join(pgdata, "PG_VERSION"))) {
      logger.info({ dataDir }, "creating the embedded database (once, a few seconds)");
      await initialiseElsewhere(pgdata);
    }
    db = await PGlite.create({
      dataDir: pgdata,
      startParams: [...PGlite.defaultStartParams, "-c", `shared_buffers=${SHARED_BUFFERS}`],
    });
    socketDir = join(dataDir, "socket");
    if (join(socketDir, ".s.PGSQL.5432").length > MAX_SOCKET_PATH) {
      socketDir = mkdtempSync(join(tmpdir(), "notification-service-"));
    } else {
      rmSync(socketDir, { recursive: true, force: true });
      mkdirSync(socketDir, { mode: 0o700 });
    }
    // A second connection is accepted only so that a pool replacing a broken connection is not
    // turned away while the old one is still being detached; the pool itself holds one.
    const server = new PGLiteSocketServer({ db, path: join(socketDir, ".s.PGSQL.5432"), maxConnections: 2 });
    await server.start();
    const url = `postgresql://postgres@localhost/postgres?host=${encodeURIComponent(socketDir)}`;
    const opened = db;
    const openedSocketDir = socketDir;
    let closing: Promise<void> | null = null;
    return {
      url,
      dataDir,
      close() {
        closing ??= (async () => {
          try {
            await server.stop();
            await opened.close();
          } finally {
            rmSync(openedSocketDir, { recursive: true, force: true });
            releaseLock();
          }
        })();
        return closing;
      },
    };
  } catch (error) {
    await db?.close().catch(() => {});
    if (socketDir) rmSync(socketDir, { recursive: true, force: true });
    releaseLock();
    throw error;
  }
}

/**
 * Creating a database runs PostgreSQL's initdb, whose WebAssembly memory (about 500 MiB) would
 * stay with the process for good; a short-lived child pays for it instead. It builds into a
 * temporary folder renamed at the end, so an interrupted first start leaves nothing half made.
 */
async function initialiseElsewhere(pgdata: string): Promise<void> {
  const building = `${pgdata}.creating`;
  rmSync(building, { recursive: true, force: true });
  const pglite = createRequire(import.meta.url).resolve("@electric-sql/pglite");
  const script = `const { PGlite } = require(${JSON.stringify(pglite)});
PGlite.create({ dataDir: process.argv[1] }).then((db) => db.close());`;
  await promisify(execFile)(process.execPath, ["-e", script, building], { maxBuffer: 16 * 1024 * 1024 });
  renameSync(building, pgdata);
}
