/**
 * Which addresses a webhook may be sent to. By default nothing inside the deployment's own
 * network: loopback, private (RFC 1918, unique-local), link-local (where cloud metadata lives),
 * carrier-grade NAT, multicast and reserved ranges are refused, so an API caller cannot make the
 * service call its neighbours. The check runs when an endpoint is created and again on every send,
 * on the address actually connected to (see webhook-sender.ts), so DNS cannot change in between.
 */
import { lookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";

const refused = new BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8], // "this network"
  ["10.0.0.0", 8],
  ["100.64.0.0", 10], // carrier-grade NAT (and Alibaba's metadata address)
  ["127.0.0.0", 8],
  ["169.254.0.0", 16], // link-local: 169.254.169.254 is the cloud metadata service
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, broadcast
] as const) {
  refused.addSubnet(network, prefix, "ipv4");
}
for (const [network, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["fc00::", 7], // unique-local (AWS's IPv6 metadata address fd00:ec2::254 is one)
  ["fe80::", 10], // link-local
  ["ff00::", 8], // multicast
] as const) {
  refused.addSubnet(network, prefix, "ipv6");
}

/**
 * What an IP address is when it is not a place to send webhooks ("a loopback, ... address"), or
 * null when it is a public one; callers say "<address> is <reason>".
 */
export function refusedAddressReason(address: string): string | null {
  const family = isIP(address);
  if (family === 0) return "not an IP address";
  if (family === 6) {
    // IPv4 written as IPv6 (::ffff:10.0.0.1, NAT64 64:ff9b::10.0.0.1) is judged as the IPv4 it is.
    const embedded = /^(?:::ffff:|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
    if (embedded) return refusedAddressReason(embedded);
    const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
    if (mapped?.[1] && mapped[2]) {
      const high = Number.parseInt(mapped[1], 16);
      const low = Number.parseInt(mapped[2], 16);
      return refusedAddressReason(`${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`);
    }
  }
  if (refused.check(address, family === 4 ? "ipv4" : "ipv6")) {
    return "a loopback, private, link-local or otherwise internal address";
  }
  return null;
}

/** The host of a URL as an IP literal (brackets off), or null when it is a name. */
export function ipLiteralHost(url: URL): string | null {
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  return isIP(host) ? host : null;
}

/**
 * Why `raw` cannot be a webhook URL, or null when it can. Unless private networks are allowed,
 * resolves the host now and refuses it when any address it has is an internal one.
 */
export async function webhookUrlProblem(raw: string, allowPrivateNetworks: boolean): Promise<string | null> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "Enter a valid URL.";
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    return "Only http:// and https:// URLs are allowed.";
  if (url.username || url.password)
    return "Credentials in the URL are not allowed; put a token in the path or query.";
  if (allowPrivateNetworks) return null;
  const literal = ipLiteralHost(url);
  const addresses = literal
    ? [literal]
    : await lookup(url.hostname, { all: true, verbatim: true }).then(
        (found) => found.map((entry) => entry.address),
        () => null,
      );
  if (!addresses || addresses.length === 0) return `The host ${url.hostname} does not resolve.`;
  for (const address of addresses) {
    const reason = refusedAddressReason(address);
    if (reason) {
      const what = literal ? `${address} is ${reason}` : `${url.hostname} resolves to ${address}, ${reason}`;
      return `The host ${what}; set WEBHOOK_ALLOW_PRIVATE_NETWORKS=true to allow it.`;
    }
  }
  return null;
}
