package dev.sbx.controlplane.peers;

import dev.sbx.controlplane.config.InvalidConfigException;
import java.net.URI;
import java.util.regex.Pattern;

/** A replica's {@code host:port}, checked, and the base URI forwarded requests go to. */
public final class PeerAddress {

  private static final Pattern HOST_PORT =
      Pattern.compile("^(\\[[0-9a-fA-F:.]+\\]|[A-Za-z0-9.-]+):([0-9]{1,5})$");

  private PeerAddress() {}

  /** Checks {@code value} is {@code host:port}; {@code key} names the setting in the error. */
  static String parse(String value, String key) {
    var matcher = HOST_PORT.matcher(value.trim());
    if (!matcher.matches() || Integer.parseInt(matcher.group(2)) > 65535) {
      throw new InvalidConfigException(key + "=" + value + ": expected host:port");
    }
    return value.trim();
  }

  /** The {@code http://host:port} a request for this replica goes to. */
  public static URI base(String address) {
    return URI.create("http://" + address);
  }
}
