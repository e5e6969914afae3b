package io.warroom.http;

import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * Failed authentications per client address (CONTRACT section 15). Each address has a bucket of
 * {@code burst} failures that refills at {@code perSecond}; while it is empty, every request from
 * that address that presents a secret is answered 429 with Retry-After before the secret is looked
 * at, so guessing gets no faster. The address is the socket's (never X-Forwarded-For, which the
 * client writes itself); an IPv6 client counts by its /64, which one client holds whole. At most
 * {@link #MAX_ADDRESSES} addresses are remembered (the one that failed longest ago goes first), and
 * an address that has not failed is never stored.
 *
 * <p>Each failure is logged on one line (address, endpoint, reason; never the secret): up to
 * {@link #LOG_BURST} lines at once and {@link #LOG_PER_SECOND} a second after that; the others, and
 * the requests answered 429, are counted in one summary line per {@link #flush()}. Used on the one
 * event loop only.
 */
final class AuthThrottle {
  static final int MAX_ADDRESSES = 10_000;
  static final int LOG_BURST = 100;
  static final double LOG_PER_SECOND = 2;
  private static final int MAX_NAMED_IN_SUMMARY = 1_000;
  private static final Logger LOG = Logger.getLogger("warroom.auth");

  private final double burst;
  private final double perSecond;
  private final LongSupplier nanos;
  /** Failures an address may still spend, as of a moment (nanos). */
  private static final class Bucket {
    double left;
    long at;

    Bucket(double left, long at) {
      this.left = left;
      this.at = at;
    }
  }

  private final Map<String, Bucket> buckets = new LinkedHashMap<>(256, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
      return size() > MAX_ADDRESSES;
    }
  };
  private double logTokens = LOG_BURST;
  private long logRefilledAt;
  private long unlogged;
  private long refused;
  private final Set<String> unloggedFrom = new HashSet<>();

  AuthThrottle(int burst, double perSecond, LongSupplier nanos) {
    this.burst = burst;
    this.perSecond = perSecond;
    this.nanos = nanos;
    this.logRefilledAt = nanos.getAsLong();
  }

  /**
   * Call before checking a secret: when the client's address has no failures left, answers 429 with
   * Retry-After and returns true.
   */
  boolean refuse(RoutingContext ctx) {
    long wait = waitSeconds(address(ctx));
    if (wait == 0) return false;
    ctx.response().putHeader("Retry-After", Long.toString(wait));
    Errors.send(ctx, 429, "too many failed authentications from this address; retry in " + wait + " s");
    return true;
  }

  /** 0 when {@code who} may present a secret now; else how long it must wait (s), counted as refused. */
  long waitSeconds(String who) {
    Bucket b = buckets.get(who);
    if (b == null || refill(b) >= 1) return 0;
    refused++;
    unloggedFrom(who);
    return Math.max(1, (long) Math.ceil((1 - b.left) / perSecond));
  }

  /** Counts a wrong secret against the client's address and logs it ({@code endpoint} must hold no secret). */
  void failed(RoutingContext ctx, String endpoint, String reason) {
    failed(address(ctx), endpoint, reason);
  }

  void failed(String who, String endpoint, String reason) {
    Bucket b = buckets.computeIfAbsent(who, k -> new Bucket(burst, nanos.getAsLong()));
    refill(b);
    b.left = Math.max(0, b.left - 1);
    boolean nowThrottled = b.left < 1;
    if (logLine()) {
      LOG.warning("auth failure address=" + who + " endpoint=" + endpoint + " reason=" + reason
          + (nowThrottled ? "; further attempts from this address answer 429 for a while" : ""));
    } else {
      unlogged++;
      unloggedFrom(who);
    }
  }

  /** Logs one line for the failures and refusals not logged one by one since the last call. */
  void flush() {
    if (unlogged == 0 && refused == 0) return;
    LOG.warning("auth: " + unlogged + " more failures not logged one by one, and " + refused
        + " requests answered 429 without checking their secret, from "
        + (unloggedFrom.size() >= MAX_NAMED_IN_SUMMARY ? "at least " : "") + unloggedFrom.size()
        + (unloggedFrom.size() == 1 ? " address" : " addresses")
        + (unloggedFrom.size() <= 5 ? " " + unloggedFrom : ""));
    unlogged = 0;
    refused = 0;
    unloggedFrom.clear();
  }

  /** Addresses remembered now (for tests of the bound). */
  int addresses() {
    return buckets.size();
  }

  private double refill(Bucket b) {
    long now = nanos.getAsLong();
    b.left = Math.min(burst, b.left + (now - b.at) / 1e9 * perSecond);
    b.at = now;
    return b.left;
  }

  private boolean logLine() {
    long now = nanos.getAsLong();
    logTokens = Math.min(LOG_BURST, logTokens + (now - logRefilledAt) / 1e9 * LOG_PER_SECOND);
    logRefilledAt = now;
    if (logTokens < 1) return false;
    logTokens--;
    return true;
  }

  private void unloggedFrom(String who) {
    if (unloggedFrom.size() < MAX_NAMED_IN_SUMMARY) unloggedFrom.add(who);
  }

  /** The socket's address: an IPv4 address, or the /64 of an IPv6 one. */
  static String address(RoutingContext ctx) {
    return key(ctx.request().connection().remoteAddress());
  }

  static String key(SocketAddress a) {
    String host = a == null ? null : a.hostAddress();
    if (host == null) return "unknown";
    if (host.indexOf(':') < 0) return host;
    try {
      byte[] b = InetAddress.getByName(host).getAddress(); // a literal: no lookup
      if (b.length == 4) return InetAddress.getByAddress(b).getHostAddress();
      StringBuilder s = new StringBuilder();
      for (int i = 0; i < 8; i += 2) s.append(Integer.toHexString((b[i] & 0xff) << 8 | b[i + 1] & 0xff)).append(':');
      return s.append(":/64").toString();
    } catch (UnknownHostException e) {
      return host;
    }
  }
}
