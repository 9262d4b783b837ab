// A loopback SMS.ru for bench/alone/worker.sh: every send succeeds at once, as SMS.ru answers it.
import { createServer } from "node:http";

let sent = 0;
createServer((request, response) => {
  const chunks = [];
  request.on("data", (chunk) => chunks.push(chunk));
  request.on("end", () => {
    const query = request.url.split("?")[1];
    const params = new URLSearchParams(query || Buffer.concat(chunks).toString());
    const to = params.get("to") ?? "79991234567";
    sent += 1;
    response.setHeader("content-type", "application/json");
    response.end(
      JSON.stringify({
        status: "OK",
        status_code: 100,
        sms: { [to]: { status: "OK", status_code: 100, sms_id: `000000-${sent}` } },
        balance: 100.5,
      }),
    );
  });
}).listen(Number(process.env.ALONE_SMS_PORT ?? 3997), "127.0.0.1");
