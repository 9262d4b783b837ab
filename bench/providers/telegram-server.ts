/** The Bot API's POST /bot<token>/sendMessage, answering at once with `{"ok":true,...}`. */
import { createServer, type Server } from "node:http";
import { readBody } from "./http-body.js";
import type { Receipts } from "./receipts.js";

export function createTelegramServer(receipts: Receipts): Server {
  let messageId = 0;
  return createServer((request, response) => {
    readBody(request).then(
      (body) => {
        if (request.method !== "POST" || !/^\/bot[^/]+\/sendMessage/.test(request.url ?? "")) {
          response.writeHead(404, { "content-type": "application/json" });
          response.end('{"ok":false,"error_code":404,"description":"Not Found"}');
          return;
        }
        let chatId: unknown = null;
        let text = "";
        try {
          const parsed = JSON.parse(body) as { chat_id?: unknown; text?: unknown };
          chatId = parsed.chat_id ?? null;
          text = typeof parsed.text === "string" ? parsed.text : "";
        } catch {
          text = body;
        }
        receipts.record("telegram", text);
        messageId += 1;
        const reply = {
          ok: true,
          result: { message_id: messageId, date: Math.floor(Date.now() / 1000), chat: { id: chatId }, text },
        };
        response.writeHead(200, { "content-type": "application/json" });
        response.end(JSON.stringify(reply));
      },
      () => response.destroy(),
    );
  });
}
