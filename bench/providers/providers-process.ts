/**
 * The loopback providers, run in a process of their own so that answering the service never
 * competes with the load generator's event loop (and the load generator never delays a receipt).
 * Talks to the bench over IPC: `ready` with the ports, then snapshots on request until `stop`.
 */
import { once } from "node:events";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { ProviderPorts, ProvidersReply, ProvidersRequest } from "./protocol.js";
import { Receipts } from "./receipts.js";
import { createSmsRuServer } from "./sms-ru-server.js";
import { createSmtpSink } from "./smtp-sink.js";
import { createTelegramServer } from "./telegram-server.js";

if (!process.send) throw new Error("providers-process must be started with an IPC channel (fork)");
const send = (message: ProvidersReply) => process.send?.(message);

const receipts = new Receipts();
const sms = createSmsRuServer(receipts);
const telegram = createTelegramServer(receipts);
const smtp = createSmtpSink(receipts);

async function listen(server: Server): Promise<number> {
  server.keepAliveTimeout = 60_000;
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return (server.address() as AddressInfo).port;
}

const ports: ProviderPorts = {
  sms: await listen(sms),
  telegram: await listen(telegram),
  smtp: await listen(smtp.server as Server),
};

process.on("message", (message: ProvidersRequest) => {
  switch (message.type) {
    case "snapshot":
      send({
        type: "snapshot",
        id: message.id,
        snapshot: receipts.snapshot(message.phase, message.withTimes),
        total: receipts.total,
        unmarked: receipts.unmarked,
        byChannel: receipts.byChannel,
        statusChecks: { ...receipts.statusChecks },
        sendCalls: { ...receipts.sendCalls },
      });
      break;
    case "stop":
      sms.closeAllConnections();
      telegram.closeAllConnections();
      sms.close();
      telegram.close();
      smtp.close(() => process.exit(0));
      setTimeout(() => process.exit(0), 1_000).unref();
      break;
  }
});
// The bench went away without saying stop (killed): do not outlive it.
process.on("disconnect", () => process.exit(0));

send({ type: "ready", ports });
