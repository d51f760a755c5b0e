/**
 * Timed stack models: the interface, the Linux-like and Onload-like models (memcached and echo
 * over UDP; memcached over TCP with the real TCP engine: `LinuxLikeTcp`, `OnloadLikeTcp`), the
 * server applications, sockets and the server builder (`transport: "tcp"`).
 *
 * @module
 */
export type { StackModel, StackReport } from "./stack_model.ts";
export { STACK_DROP_NAMES, StackDrop } from "./drops.ts";
export { DEFAULT_SOCKET_QUEUE_DATAGRAMS, type SocketWaiter, UdpSocket } from "./udp_socket.ts";
export {
  ECHO_PORT,
  EchoApp,
  MAX_REPLIES,
  MEMCACHED_PORT,
  MemcachedApp,
  type ServerApp,
} from "./server_app.ts";
export {
  BUSY_POLL_NS,
  LINUX_VARIANTS,
  LinuxLike,
  type LinuxLikeOptions,
  type LinuxVariant,
  NAPI_WEIGHT,
  NETDEV_BUDGET,
} from "./linux_like.ts";
export { OnloadLike, type OnloadLikeOptions, onloadNicConfig } from "./onload_like.ts";
export { LinuxLikeTcp, type LinuxLikeTcpOptions } from "./linux_like_tcp.ts";
export { OnloadLikeTcp, type OnloadLikeTcpOptions } from "./onload_like_tcp.ts";
export { MEMCACHED_LISTEN_BACKLOG } from "./_tcp_server.ts";
export {
  type AppKind,
  createNicModel,
  createServer,
  type NicKind,
  type Server,
  type ServerSpec,
  type StackKind,
  type TransportKind,
} from "./server.ts";
