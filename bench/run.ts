/**
 * `npm run bench`: measures the PostgreSQL ceiling, then the service as `npm start` runs it:
 * ingest, end-to-end delivery, latency at a light load and memory, each also as a ratio to the
 * ceiling. Prints a table and writes bench/results.json. Exits 0 whatever the numbers; non-zero
 * only when the bench itself broke.
 */
import { mkdir } from "node:fs/promises";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ApiClient } from "./api-client.js";
import {
  type CeilingResult,
  dropCeilingTable,
  hasPgbench,
  nodePgCeiling,
  pgbenchCeiling,
  prepareCeilingTable,
} from "./ceiling.js";
import { Cleanup, onInterrupt } from "./cleanup.js";
import {
  type CpuByGroup,
  type CpuMark,
  cpuBetween,
  cpuMicrosecondsPerNotification,
  markCpu,
} from "./cpu-accounting.js";
import { DatabaseObserver } from "./database-observer.js";
import { type DeliveryResult, waitForDelivery } from "./delivery.js";
import { type IngestResult, runIngest } from "./ingest.js";
import { latencyBreakdown } from "./latency-breakdown.js";
import { runLightLoad } from "./light-load.js";
import { machineBasics, redisVersion } from "./machine.js";
import { machineLoad, waitForQuiet } from "./machine-load.js";
import { MemorySampler } from "./memory-sampler.js";
import { readOptions, USAGE } from "./options.js";
import { readPgCounters, workPerNotification } from "./pg-activity.js";
import { shortCommandLine } from "./process-tree.js";
import { Progress } from "./progress.js";
import { LoopbackProviders } from "./providers/loopback-providers.js";
import { waitForReceipts } from "./receipt-checks.js";
import { readRedisCommandCount, redisWorkPerNotification } from "./redis-activity.js";
import {
  type BenchResults,
  formatTable,
  SERVICE_GROUPS,
  type TemplateVariantResult,
  writeResults,
} from "./report.js";
import { createDatabase, deleteRedisKeys, dropDatabase, scratchNames } from "./scratch.js";
import { buildService, ServiceProcess } from "./service.js";
import { authHeaders, freePort, serviceEnv, serviceNodeOptions } from "./service-env.js";
import { epochMs, round, sleep } from "./stats.js";
import { checkTargets, ratiosOf } from "./targets.js";
import { createBenchTemplate, templateNotificationBody } from "./template-variant.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const STEPS = 10;
/** The first receipt check comes 15 s after the send (SMS_RECEIPT_POLL_SECONDS); a margin on top. */
const RECEIPTS_TIMEOUT_SECONDS = 60;
/** The ingest's recipients: notification n goes to recipient n mod this, each with its own number. */
const RECIPIENTS = 1_000;

async function main(): Promise<void> {
  const options = readOptions(process.argv.slice(2), process.env);
  if (options === "help") {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const runStartedAt = epochMs();
  const startedAt = new Date();
  const progress = new Progress(STEPS);
  const cleanup = new Cleanup();
  let stopLoad: (() => void) | null = null;
  onInterrupt(cleanup, (signal) => {
    progress.done();
    process.stderr.write(`${signal}: stopping everything the bench started\n`);
    stopLoad?.();
  });

  try {
    // 1. The run's own database and Redis prefix, the loopback providers, the build.
    progress.phase("prepare", "database, providers, build");
    const scratch = scratchNames(options.adminDatabaseUrl, startedAt);
    const { version: postgresVersion, postmasterPid } = await createDatabase(
      options.adminDatabaseUrl,
      scratch.databaseName,
    );
    cleanup.add("drop the bench database", () =>
      dropDatabase(options.adminDatabaseUrl, scratch.databaseName),
    );
    cleanup.add("delete the bench's Redis keys", () =>
      deleteRedisKeys(options.redisUrl, scratch.redisPrefix),
    );
    const providers = await LoopbackProviders.start();
    cleanup.add("stop the loopback providers", () => providers.stop());
    if (!options.skipBuild) {
      progress.update("npm run build");
      await buildService(ROOT);
    }
    const machine = {
      ...machineBasics(),
      postgres: postgresVersion,
      redis: await redisVersion(options.redisUrl),
    };
    const ownPids = new Set([process.pid, process.ppid, providers.pid ?? 0]);
    const loadBefore =
      options.waitQuietSeconds > 0
        ? await waitForQuiet(ownPids, options.waitQuietSeconds, 0.15, (load) =>
            progress.update(`waiting for a quiet machine: others use ${load.cores.toFixed(2)} cores`),
          )
        : await machineLoad(ownPids);

    // 2. The ceiling, before the service exists, so nothing else competes for the machine.
    progress.phase("ceiling");
    await prepareCeilingTable(scratch.databaseUrl);
    let ceiling: CeilingResult;
    const stopCountdown = progress.countdown(options.ceilingSeconds, "pgbench single-row INSERTs");
    try {
      ceiling = (await hasPgbench())
        ? await pgbenchCeiling(scratch.databaseUrl, options.concurrency, options.ceilingSeconds)
        : await nodePgCeiling(scratch.databaseUrl, options.concurrency, options.ceilingSeconds);
    } finally {
      stopCountdown();
    }
    let nodePgLoop: CeilingResult | null = null;
    if (ceiling.tool === "pgbench") {
      const seconds = Math.max(2, Math.round(options.ceilingSeconds / 2));
      const stop = progress.countdown(seconds, "node-pg single-row INSERTs");
      nodePgLoop = await nodePgCeiling(scratch.databaseUrl, options.concurrency, seconds).finally(stop);
    }
    await dropCeilingTable(scratch.databaseUrl);

    // 3. The service, as npm start runs it.
    progress.phase("start service");
    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    let cpuProfileDir: string | null = null;
    if (options.cpuProfile) {
      cpuProfileDir = resolve(
        ROOT,
        "bench/tmp/profiles",
        startedAt.toISOString().replace(/\D/g, "").slice(0, 14),
      );
      await mkdir(cpuProfileDir, { recursive: true });
    }
    const env = serviceEnv({
      port,
      databaseUrl: scratch.databaseUrl,
      redisUrl: options.redisUrl,
      redisPrefix: scratch.redisPrefix,
      providers: providers.ports,
    });
    const service = ServiceProcess.start(ROOT, env, serviceNodeOptions(cpuProfileDir));
    let serviceStop = "not stopped";
    cleanup.add("stop the service", async () => {
      serviceStop = await service.stop(30);
    });
    const memory = new MemorySampler(service.pid, 250);
    memory.start();
    const readyMs = await service.waitReady(`${baseUrl}/openapi.json`, 60);
    const client = new ApiClient(baseUrl, authHeaders());
    cleanup.add("close the API client", async () => client.close());
    const userId = await createUser(client);
    const database = await DatabaseObserver.connect(scratch.databaseUrl);
    cleanup.add("close the observer connection", () => database.close());
    // Notifications go to many people, each with a number of their own, as in real use: one
    // recipient receiving thousands of SMS a second would be refused by any SMS provider.
    const recipientIds = [userId, ...(await database.addRecipients(RECIPIENTS - 1))];
    progress.update(`ready in ${Math.round(readyMs)} ms`);
    // Memory at rest: once the worker has also finished starting, before any load.
    await sleep(1_000);
    await memory.markReady();

    const groupOf = (proc: { pid: number; ppid: number; command: string }): string | null => {
      if (proc.pid === service.pid) return "api";
      const role = memory.roles().get(proc.pid);
      if (role) return role.startsWith("worker") ? "worker" : "service other";
      if (proc.pid === process.pid || proc.pid === database.backendPid) return "bench";
      if (proc.pid === providers.pid) return "providers";
      if (proc.command === "postgres") {
        const ofTheCluster =
          postmasterPid === null || proc.pid === postmasterPid || proc.ppid === postmasterPid;
        return ofTheCluster ? "postgres" : "other";
      }
      if (proc.command.startsWith("redis-server")) return "redis";
      return "other";
    };
    const receiptProgress = (waiting: number) =>
      progress.update(`${waiting.toLocaleString("en-US")} receipts to come`);
    const cpu: Record<string, CpuByGroup> = {};
    const phaseSeconds: Record<string, number> = {};
    const otherCpu: Record<string, CpuByGroup> = {};
    const measureCpu = async (phase: string, from: CpuMark) => {
      const to = await markCpu();
      cpu[phase] = await cpuBetween(from, to, groupOf);
      phaseSeconds[phase] = (to.at - from.at) / 1000;
      // Who else used the machine (other test runs, builds) is part of the truth of the numbers.
      const byPid = await cpuBetween(from, to, (proc) =>
        groupOf(proc) === "other" ? String(proc.pid) : null,
      );
      const commands = new Map(to.processes.map((proc) => [String(proc.pid), proc.command]));
      const others: CpuByGroup = {};
      for (const [pid, cores] of Object.entries(byPid)) {
        const name = await shortCommandLine(Number(pid), commands.get(pid) ?? pid);
        others[name] = Math.round(((others[name] ?? 0) + cores) * 100) / 100;
      }
      otherCpu[phase] = Object.fromEntries(
        Object.entries(others)
          .filter(([, cores]) => cores >= 0.02)
          .sort(([, a], [, b]) => b - a)
          .slice(0, 5),
      );
    };

    // 4. Warm-up: JIT, pools and connections, not reported beyond its counts.
    progress.phase("warm-up");
    const ingestSettings = {
      baseUrl,
      headers: authHeaders(),
      userIds: recipientIds,
      connections: options.concurrency,
    };
    const stopWarmup = progress.countdown(options.warmupSeconds);
    const warmup = await runIngest(
      {
        ...ingestSettings,
        connections: Math.min(8, options.concurrency),
        seconds: options.warmupSeconds,
        phase: "w",
      },
      (stop) => {
        stopLoad = stop;
      },
    ).finally(stopWarmup);
    await waitForDelivery(providers, database, warmup, { phase: "w", timeoutSeconds: 30, stallSeconds: 10 });
    // Each measured variant starts with no dead row versions of an earlier phase and ends by
    // vacuuming its own, inside its CPU figures (see DatabaseObserver.vacuum).
    await waitForReceipts(database, RECEIPTS_TIMEOUT_SECONDS, receiptProgress);
    await database.vacuum();

    // 5. Ingest at fixed concurrency.
    progress.phase("ingest");
    await sleep(1_500); // lets PostgreSQL publish the warm-up's counters first
    const pgBefore = await readPgCounters(database);
    const redisBefore = await readRedisCommandCount(options.redisUrl);
    let mark = await markCpu();
    const stopIngest = progress.countdown(options.ingestSeconds, `${options.concurrency} connections`);
    const ingest = await runIngest(
      { ...ingestSettings, seconds: options.ingestSeconds, phase: "i" },
      (stop) => {
        stopLoad = stop;
      },
    ).finally(stopIngest);
    stopLoad = null;
    await measureCpu("ingest", mark);

    // 6. Delivery: the backlog drains to the provider.
    progress.phase("delivery drain");
    mark = await markCpu();
    const delivery = await waitForDelivery(providers, database, ingest, {
      phase: "i",
      timeoutSeconds: options.drainTimeoutSeconds,
      stallSeconds: 20,
      onProgress: (received, stored) =>
        progress.update(`${received.toLocaleString("en-US")} of ${stored.toLocaleString("en-US")} received`),
    });
    await measureCpu("drain", mark);
    progress.phase("receipts");
    mark = await markCpu();
    const receipts = await waitForReceipts(database, RECEIPTS_TIMEOUT_SECONDS, receiptProgress);
    await database.vacuum();
    await measureCpu("receipts", mark);

    // 7. Latency at a light, steady load.
    progress.phase("light load");
    mark = await markCpu();
    const lightLoad = await runLightLoad(client, providers, {
      userId,
      ratePerSecond: options.lightRatePerSecond,
      seconds: options.lightSeconds,
      phase: "l",
      settleSeconds: 10,
      onProgress: (sent, totalCount) =>
        progress.update(`${sent} of ${totalCount} sent at ${options.lightRatePerSecond}/s`),
    });
    await measureCpu("light", mark);
    const breakdown = await latencyBreakdown(database, "l", lightLoad.samples);
    await sleep(1_500);
    const pgWork = workPerNotification(
      pgBefore,
      await readPgCounters(database),
      delivery.stored + lightLoad.accepted,
    );
    const redisWork = redisWorkPerNotification(
      redisBefore,
      await readRedisCommandCount(options.redisUrl),
      delivery.stored + lightLoad.accepted,
    );
    const cpuPerNotification = cpuMicrosecondsPerNotification(
      [
        { cores: cpu.ingest ?? {}, seconds: phaseSeconds.ingest ?? 0 },
        { cores: cpu.drain ?? {}, seconds: phaseSeconds.drain ?? 0 },
        { cores: cpu.receipts ?? {}, seconds: phaseSeconds.receipts ?? 0 },
      ],
      delivery.stored,
    );

    // 8. The template variant: the same ingest and drain, every notification rendered from a template.
    // The light load's receipts are not measured, but must not fall into the template variant's.
    await waitForReceipts(database, RECEIPTS_TIMEOUT_SECONDS, receiptProgress);
    await database.vacuum();
    progress.phase("template variant");
    await createBenchTemplate(client);
    await sleep(1_500);
    mark = await markCpu();
    const stopTemplateIngest = progress.countdown(options.ingestSeconds, "template notifications");
    const templateIngest = await runIngest(
      { ...ingestSettings, seconds: options.ingestSeconds, phase: "t", body: templateNotificationBody },
      (stop) => {
        stopLoad = stop;
      },
    ).finally(stopTemplateIngest);
    stopLoad = null;
    await measureCpu("t-ingest", mark);
    mark = await markCpu();
    const templateDelivery = await waitForDelivery(providers, database, templateIngest, {
      phase: "t",
      timeoutSeconds: options.drainTimeoutSeconds,
      stallSeconds: 20,
      onProgress: (received, stored) =>
        progress.update(`${received.toLocaleString("en-US")} of ${stored.toLocaleString("en-US")} received`),
    });
    await measureCpu("t-drain", mark);
    mark = await markCpu();
    await waitForReceipts(database, RECEIPTS_TIMEOUT_SECONDS, receiptProgress);
    await database.vacuum();
    await measureCpu("t-receipts", mark);
    const templateCpuPerNotification = cpuMicrosecondsPerNotification(
      [
        { cores: cpu["t-ingest"] ?? {}, seconds: phaseSeconds["t-ingest"] ?? 0 },
        { cores: cpu["t-drain"] ?? {}, seconds: phaseSeconds["t-drain"] ?? 0 },
        { cores: cpu["t-receipts"] ?? {}, seconds: phaseSeconds["t-receipts"] ?? 0 },
      ],
      templateDelivery.stored,
    );
    const templateVariant = templateVariantResult(
      cpuPerNotification,
      templateCpuPerNotification,
      templateIngest,
      templateDelivery,
    );

    // 9. Stop the service (its memory is sampled to the end), then report.
    progress.phase("stop and report");
    const { statusChecks, sendCalls } = await providers.snapshot("t");
    const statusesAtEnd = await database.statuses();
    await service.stop(30).then((outcome) => {
      serviceStop = outcome;
    });
    const memoryReport = await memory.stop();
    const ratios = ratiosOf(ceiling, nodePgLoop, ingest, delivery);
    const results: BenchResults = {
      generatedAt: startedAt.toISOString(),
      mode: options.mode,
      cpuProfiled: options.cpuProfile,
      machine,
      loadBefore,
      config: {
        concurrency: options.concurrency,
        ceilingSeconds: options.ceilingSeconds,
        warmupSeconds: options.warmupSeconds,
        ingestSeconds: options.ingestSeconds,
        lightRatePerSecond: options.lightRatePerSecond,
        lightSeconds: options.lightSeconds,
        drainTimeoutSeconds: options.drainTimeoutSeconds,
        service: "node dist/entry/start.js (API + forked worker), defaults except:",
        serviceEnv: {
          LOG_LEVEL: env.LOG_LEVEL,
          API_RATE_LIMIT_PER_MINUTE: env.API_RATE_LIMIT_PER_MINUTE,
          API_KEYS: "bench-key",
          CHANNEL_ORDER: env.CHANNEL_ORDER,
          SMS_RU_API_URL: "loopback",
          TELEGRAM_API_URL: "loopback",
          EMAIL_HOST: "loopback",
        },
        serviceReadyMs: Math.round(readyMs),
        cpuProfileDir,
      },
      ceiling,
      nodePgLoop,
      warmup: { sent: warmup.accepted + warmup.non2xx, accepted: warmup.accepted },
      ingest,
      delivery,
      lightLoad: { ...lightLoad, samples: [], breakdown },
      pgWork,
      redisWork,
      cpuPerNotification,
      memory: memoryReport,
      cpu,
      otherCpu,
      ratios,
      targets: [...checkTargets(ratios, ingest, delivery, lightLoad, memoryReport), templateVariant.target],
      templateVariant,
      receipts: {
        ...receipts,
        statusCalls: statusChecks.calls,
        idsPerCall: statusChecks.calls > 0 ? round(statusChecks.ids / statusChecks.calls, 1) : 0,
        sendCalls: sendCalls.calls,
        messagesPerSendCall: sendCalls.calls > 0 ? round(sendCalls.messages / sendCalls.calls, 1) : 0,
      },
      statusesAtEnd,
      serviceStop,
      runSeconds: 0,
    };
    await cleanup.runAll().then((failures) => {
      for (const failure of failures) process.stderr.write(`cleanup failed: ${failure}\n`);
    });
    results.runSeconds = round((epochMs() - runStartedAt) / 1000);
    const table = formatTable(results);
    results.table = table;
    await writeResults(resolve(ROOT, options.resultsPath), results);
    progress.done();
    process.stdout.write(`${table}\n\nResults: ${options.resultsPath} (run took ${results.runSeconds} s)\n`);
  } catch (error) {
    progress.done();
    await cleanup.runAll().then((failures) => {
      for (const failure of failures) process.stderr.write(`cleanup failed: ${failure}\n`);
    });
    throw error;
  }
}

/** The service's CPU per notification (API, worker, PostgreSQL, Redis) with a template, against plain. */
function templateVariantResult(
  plain: CpuByGroup,
  template: CpuByGroup,
  ingest: IngestResult,
  delivery: DeliveryResult,
): TemplateVariantResult {
  const service = (cpu: CpuByGroup) => SERVICE_GROUPS.reduce((sum, group) => sum + (cpu[group] ?? 0), 0);
  const ratio = service(plain) > 0 ? round(service(template) / service(plain), 3) : Number.NaN;
  return {
    ingest,
    delivery: { ...delivery },
    cpuPerNotification: template,
    serviceMicros: service(template),
    plainServiceMicros: service(plain),
    ratioToPlain: ratio,
    target: {
      name: "template CPU",
      target: "≤ 1.25 × plain",
      actual: `${Number.isFinite(ratio) ? ratio.toFixed(3) : "–"} × plain`,
      met: Number.isFinite(ratio) && ratio <= 1.25 && delivery.lost === 0,
    },
  };
}

async function createUser(client: ApiClient): Promise<number> {
  const response = await client.post("/api/users/", {
    email: `bench-${process.pid}@example.com`,
    password: "bench-password",
    first_name: "Bench",
    phone_number: "+7 999 000-11-22",
  });
  if (response.status !== 201) {
    throw new Error(`could not create the bench user: HTTP ${response.status} ${response.body}`);
  }
  return (JSON.parse(response.body) as { id: number }).id;
}

main().then(
  () => process.exit(0),
  async (error: unknown) => {
    process.stderr.write(
      `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    await sleep(10);
    process.exit(1);
  },
);
