/** An SMTP server that accepts every message on plain loopback and keeps only its receipt time. */
import { SMTPServer } from "smtp-server";
import type { Receipts } from "./receipts.js";

export function createSmtpSink(receipts: Receipts): SMTPServer {
  return new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        receipts.record("email", Buffer.concat(chunks).toString("utf8"));
        callback();
      });
    },
  });
}
