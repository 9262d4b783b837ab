/**
 * SMS.ru's POST /sms/send (one number as `to` and `msg`, or several as `multi[number]=text`),
 * answering at once with the documented success reply for each number,
 * and POST /sms/status, reporting every sms_id asked about as delivered (103), in the shape SMS.ru
 * documents: most messages are delivered within seconds, so one check each is the common case.
 * Keeps counters and receipt times, never the requests themselves.
 */
import { createServer, type Server } from "node:http";
import { readBody } from "./http-body.js";
import type { Receipts } from "./receipts.js";

export function createSmsRuServer(receipts: Receipts): Server {
  let smsId = 0;
  return createServer((request, response) => {
    readBody(request).then(
      (body) => {
        const form = new URLSearchParams(body);
        if (request.method === "POST" && request.url?.startsWith("/sms/status")) {
          const ids = (form.get("sms_id") ?? "").split(",").filter((id) => id !== "");
          receipts.recordStatusCall(ids.length);
          const sms = Object.fromEntries(
            ids.map((id) => [
              id,
              { status: "OK", status_code: 103, cost: 0.5, status_text: "Сообщение доставлено" },
            ]),
          );
          response.writeHead(200, { "content-type": "application/json" });
          response.end(JSON.stringify({ status: "OK", status_code: 100, sms, balance: 100 }));
          return;
        }
        if (request.method !== "POST" || !request.url?.startsWith("/sms/send")) {
          response.writeHead(404, { "content-type": "application/json" });
          response.end('{"status":"ERROR","status_code":211,"status_text":"Метод не найден"}');
          return;
        }
        const sms: Record<string, unknown> = {};
        const messages = messagesOf(form);
        receipts.recordSendCall(messages.length);
        for (const [number, text] of messages) {
          receipts.record("sms", text);
          smsId += 1;
          sms[number] = { status: "OK", status_code: 100, sms_id: `bench-${smsId}` };
        }
        const reply = { status: "OK", status_code: 100, sms, balance: 100 };
        response.writeHead(200, { "content-type": "application/json" });
        response.end(JSON.stringify(reply));
      },
      () => response.destroy(),
    );
  });
}

/** The (number, text) pairs of a /sms/send form: `to` and `msg`, or each `multi[number]`. */
function messagesOf(form: URLSearchParams): [string, string][] {
  const to = form.get("to");
  if (to !== null) return [[to, form.get("msg") ?? ""]];
  const messages: [string, string][] = [];
  for (const [key, text] of form) {
    const multi = /^multi\[(.+)\]$/.exec(key);
    if (multi) messages.push([multi[1]!, text]);
  }
  return messages;
}
