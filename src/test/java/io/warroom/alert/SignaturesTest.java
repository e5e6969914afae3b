package io.warroom.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** Robot signatures against values computed apart, with Python's hmac, as the platforms publish. */
class SignaturesTest {
  private static final String DING_SIGN = "TSZbRFUuvaSQaRKUpF970OPCb2%2FLcQAP3wOvwZIzBZk%3D";

  @Test
  void dingTalkSignsItsUrlBeforeAnyFragment() {
    String secret = "SEC0123456789abcdef";
    long ms = 1_700_000_000_000L;
    assertEquals("https://oapi.dingtalk.com/robot/send?access_token=k&timestamp=1700000000000&sign="
        + DING_SIGN, Signatures.dingtalk("https://oapi.dingtalk.com/robot/send?access_token=k", secret, ms));
    assertEquals("http://h/r?timestamp=1700000000000&sign=" + DING_SIGN + "#x",
        Signatures.dingtalk("http://h/r#x", secret, ms));
  }

  @Test
  void feishuSignsItsBodyInSeconds() {
    Buffer body = new JsonObject().put("msg_type", "text")
        .put("content", new JsonObject().put("text", "告警")).toBuffer();
    assertEquals(new JsonObject().put("timestamp", "1700000000")
        .put("sign", "OrBzY1Y01Gq+HgJsl+7OfWcMVwc7YocohQm5iiZwjhU=").put("msg_type", "text")
        .put("content", new JsonObject().put("text", "告警")),
        Signatures.feishu(body, "feishu-secret", 1_700_000_000_999L).toJsonObject());
  }
}
