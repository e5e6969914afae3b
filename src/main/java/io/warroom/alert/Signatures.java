package io.warroom.alert;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signed posts for chat robots whose security setting asks for a signature. DingTalk custom robot
 * (加签): {@code timestamp} (ms) and {@code sign} = Base64(HmacSHA256(key secret, "timestamp\nsecret"))
 * as query parameters. Feishu custom bot (签名校验): {@code timestamp} (s, a string) and {@code sign} =
 * Base64(HmacSHA256(key "timestamp\nsecret", empty message)) in the body. Both robots refuse a
 * timestamp more than an hour off, so each attempt is signed when it is sent.
 */
final class Signatures {
  private Signatures() {}

  /** The DingTalk URL to post to at {@code nowMillis}. */
  static String dingtalk(String url, String secret, long nowMillis) {
    String ts = Long.toString(nowMillis);
    String sign = hmac(secret, ts + "\n" + secret);
    int hash = url.indexOf('#');
    String base = hash < 0 ? url : url.substring(0, hash);
    return base + (base.indexOf('?') < 0 ? "?" : "&") + "timestamp=" + ts + "&sign="
        + URLEncoder.encode(sign, StandardCharsets.UTF_8) + (hash < 0 ? "" : url.substring(hash));
  }

  /** The Feishu body to post at {@code nowMillis}: {@code body} with timestamp and sign first. */
  static Buffer feishu(Buffer body, String secret, long nowMillis) {
    String ts = Long.toString(Math.floorDiv(nowMillis, 1000));
    JsonObject signed = new JsonObject().put("timestamp", ts).put("sign", hmac(ts + "\n" + secret, ""));
    body.toJsonObject().forEach(e -> signed.put(e.getKey(), e.getValue()));
    return signed.toBuffer();
  }

  private static String hmac(String key, String message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return Base64.getEncoder().encodeToString(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
