/**
 * SMS.ru's POST /sms/send, answering at once with the documented success reply for the number.
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
        if (request.method !== "POST" || !request.url?.startsWith("/sms/send")) {
          response.writeHead(404, { "content-type": "application/json" });
          response.end('{"status":"ERROR","status_code":211,"status_text":"Метод не найден"}');
          return;
        }
        const form = new URLSearchParams(body);
        const to = form.get("to") ?? "";
        receipts.record("sms", form.get("msg") ?? "");
        smsId += 1;
        const reply = {
          status: "OK",
          status_code: 100,
          sms: { [to]: { status: "OK", status_code: 100, sms_id: `bench-${smsId}` } },
          balance: 100,
        };
        response.writeHead(200, { "content-type": "application/json" });
        response.end(JSON.stringify(reply));
      },
      () => response.destroy(),
    );
  });
}
