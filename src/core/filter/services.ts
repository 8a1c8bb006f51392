/**
 * Service names by server port, as IANA's Service Name and Transport Protocol Port Number Registry
 * names them (the subset people meet in captures). `conn.service` is this name, or absent.
 */
const SERVICES: Record<number, string> = {
  20: 'ftp-data',
  21: 'ftp',
  22: 'ssh',
  23: 'telnet',
  25: 'smtp',
  53: 'dns',
  80: 'http',
  88: 'kerberos',
  110: 'pop3',
  111: 'sunrpc',
  119: 'nntp',
  135: 'msrpc',
  139: 'netbios-ssn',
  143: 'imap',
  179: 'bgp',
  389: 'ldap',
  443: 'https',
  445: 'smb',
  465: 'smtps',
  514: 'shell',
  587: 'submission',
  631: 'ipp',
  636: 'ldaps',
  873: 'rsync',
  993: 'imaps',
  995: 'pop3s',
  1080: 'socks',
  1433: 'mssql',
  1521: 'oracle',
  1883: 'mqtt',
  2049: 'nfs',
  3128: 'squid',
  3306: 'mysql',
  3389: 'rdp',
  5060: 'sip',
  5222: 'xmpp',
  5432: 'postgresql',
  5672: 'amqp',
  5900: 'vnc',
  6379: 'redis',
  6443: 'kubernetes',
  8080: 'http-alt',
  8443: 'https-alt',
  9092: 'kafka',
  9200: 'elasticsearch',
  11211: 'memcached',
  27017: 'mongodb',
};

/** The service name of a server port, or null when the port has none here. */
export function serviceOfPort(port: number): string | null {
  return SERVICES[port] ?? null;
}

/** Every service name, sorted (completion). */
export const SERVICE_NAMES: readonly string[] = [...new Set(Object.values(SERVICES))].sort();
