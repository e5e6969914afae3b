package io.warroom.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.net.SocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The throttle of failed authentications on a clock of its own: refill, and the bound on addresses. */
class AuthThrottleTest {
  final AtomicLong now = new AtomicLong(1_000_000_000L);
  final AuthThrottle throttle = new AuthThrottle(10, 1, now::get);

  @Test
  void aBurstOfFailuresThenOneASecond() {
    for (int i = 0; i < 9; i++) {
      throttle.failed("10.0.0.1", "POST /api/v1/orders", "wrong bearer token for ingest");
      assertEquals(0, throttle.waitSeconds("10.0.0.1"), "failure " + (i + 1) + " of a burst of 10");
    }
    throttle.failed("10.0.0.1", "POST /api/v1/orders", "wrong bearer token for ingest");
    assertEquals(1, throttle.waitSeconds("10.0.0.1"));
    assertEquals(0, throttle.waitSeconds("10.0.0.2"), "another address has its own budget");
    now.addAndGet(TimeUnit.MILLISECONDS.toNanos(999));
    assertEquals(1, throttle.waitSeconds("10.0.0.1"));
    now.addAndGet(TimeUnit.MILLISECONDS.toNanos(1));
    assertEquals(0, throttle.waitSeconds("10.0.0.1"), "one more try after a second");
    throttle.failed("10.0.0.1", "POST /api/v1/orders", "wrong bearer token for ingest");
    assertEquals(1, throttle.waitSeconds("10.0.0.1"));
    // Refused requests do not spend anything: after 10 s the whole burst is back.
    for (int i = 0; i < 1000; i++) throttle.waitSeconds("10.0.0.1");
    now.addAndGet(TimeUnit.SECONDS.toNanos(10));
    for (int i = 0; i < 10; i++) {
      assertEquals(0, throttle.waitSeconds("10.0.0.1"));
      throttle.failed("10.0.0.1", "GET /", "wrong login cookie");
    }
    assertEquals(1, throttle.waitSeconds("10.0.0.1"));
  }

  @Test
  void manyAddressesCannotGrowItsMemory() {
    for (int i = 0; i < 50_000; i++) {
      throttle.failed("10." + (i >> 16) + "." + (i >> 8 & 255) + "." + (i & 255), "POST /login", "wrong token");
      assertTrue(throttle.addresses() <= AuthThrottle.MAX_ADDRESSES);
    }
    assertEquals(AuthThrottle.MAX_ADDRESSES, throttle.addresses());
    // The address failing now is remembered, whatever came before it.
    for (int i = 0; i < 10; i++) throttle.failed("192.0.2.7", "POST /login", "wrong token");
    assertEquals(1, throttle.waitSeconds("192.0.2.7"));
  }

  @Test
  void anIpv6ClientCountsByItsSlash64() {
    assertEquals("2001:db8:0:1::/64", AuthThrottle.key(SocketAddress.inetSocketAddress(1, "2001:db8:0:1::5")));
    assertEquals("2001:db8:0:1::/64",
        AuthThrottle.key(SocketAddress.inetSocketAddress(1, "2001:db8:0:1:ffff:1:2:3")));
    assertEquals("192.0.2.1", AuthThrottle.key(SocketAddress.inetSocketAddress(1, "::ffff:192.0.2.1")));
    assertEquals("127.0.0.1", AuthThrottle.key(SocketAddress.inetSocketAddress(1, "127.0.0.1")));
  }
}
