/**
 * SMS.ru's POST /sms/send, answering at once with the documented success reply for the number,
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
