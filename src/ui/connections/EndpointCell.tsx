import { formatEndpoint } from '../shared/format.ts';

/**
 * "ip:port" in a narrow column: the address gives way (with an ellipsis) so the port always shows,
 * and the whole endpoint is the tooltip. An IPv6 address is longer than its column.
 */
export function EndpointCell({ ip, port }: { ip: string; port: number }) {
  const text = formatEndpoint(ip, port);
  const cut = text.lastIndexOf(':');
  return (
    <span className="endpoint" title={text}>
      <span className="endpoint-host">{text.slice(0, cut)}</span>
      <span className="endpoint-port">{text.slice(cut)}</span>
    </span>
  );
}
