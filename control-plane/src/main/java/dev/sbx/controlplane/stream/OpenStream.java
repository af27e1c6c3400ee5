package dev.sbx.controlplane.stream;

/** A subscriber's open socket, as the handler sees it: pinged while idle, and stopped. */
interface OpenStream {

  /** Pings the client, so an idle stream stays open through proxies. */
  void ping();

  /** Stops sending; the connection is gone. */
  void disconnected();
}
