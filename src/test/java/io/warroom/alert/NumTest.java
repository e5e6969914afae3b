package io.warroom.alert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** The server's alert messages never give a value and its threshold alike when they differ. */
class NumTest {
  static String[] texts(String a, String b) {
    return Num.texts(new BigDecimal(a), new BigDecimal(b));
  }

  @Test
  void valuesBesideTheirThresholdsReadApart() {
    assertArrayEquals(new String[] {"0.62996", "0.63"}, texts("0.62996", "0.63"));
    assertArrayEquals(new String[] {"3.14996", "3.15"}, texts("3.14996", "3.15"));
    assertArrayEquals(new String[] {"11999999.99", "12000000"}, texts("11999999.99", "12000000"));
    assertArrayEquals(new String[] {"0.5", "0.63"}, texts("0.5", "0.63"), "apart already: as before");
    assertArrayEquals(new String[] {"0.63", "0.63"}, texts("0.63", "0.630"), "equal: alike");
  }
}
