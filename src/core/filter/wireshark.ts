/**
 * Display filters to paste into Wireshark for what the page shows: a connection by its stream
 * number or by its addresses and ports, a frame by its number.
 */

/** `tcp.stream eq N`: exact in the same file (our connection ids are Wireshark's stream numbers). */
export function streamFilter(id: number): string {
  return `tcp.stream eq ${id}`;
}

/** The connection by its two endpoints: also finds it in another capture of the same traffic. */
export function addressPortFilter(c: { client: { ip: string; port: number }; server: { ip: string; port: number } }): string {
  const ip = c.client.ip.includes(':') ? 'ipv6' : 'ip';
  return `${ip}.addr == ${c.client.ip} && tcp.port == ${c.client.port} && ${ip}.addr == ${c.server.ip} && tcp.port == ${c.server.port}`;
}

export function frameFilter(frame: number): string {
  return `frame.number == ${frame}`;
}
