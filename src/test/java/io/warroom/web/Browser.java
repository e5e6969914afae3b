package io.warroom.web;

import io.warroom.TestApp;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * The system's headless Chromium through its ChromeDriver, never a downloaded one: both paths are
 * given explicitly, so Selenium Manager is not asked for anything. A fresh profile per browser.
 */
public final class Browser implements AutoCloseable {
  static final String CHROMIUM = System.getProperty("warroom.chromium", "/usr/bin/chromium");
  static final String CHROMEDRIVER = System.getProperty("warroom.chromedriver", "/usr/bin/chromedriver");

  /** Selenium warns that it has no CDP bindings for this Chromium; nothing here needs them. */
  private static final Logger SELENIUM_LOG = quiet();

  public final ChromeDriver driver;
  private final Path profile;

  private Browser(ChromeDriver driver, Path profile) {
    this.driver = driver;
    this.profile = profile;
  }

  /**
   * Lets the page draw a few frames (fonts loading, a strip fitting) before it is measured; never
   * a wait for data, which {@link #waitFor} does.
   */
  public static void settle(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A browser whose page area is exactly width x height CSS pixels. */
  public static Browser start(int width, int height) {
    Path profile;
    try {
      profile = Files.createTempDirectory("warroom-chromium-");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    System.setProperty("webdriver.chrome.driver", CHROMEDRIVER);
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu",
        "--disable-background-networking", "--disable-dev-shm-usage", "--disable-extensions",
        "--no-first-run", "--lang=en-US", "--hide-scrollbars", "--force-device-scale-factor=1",
        "--user-data-dir=" + profile, "--window-size=" + width + "," + height);
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
    ChromeDriver driver = new ChromeDriver(service, options);
    // The window size includes no browser chrome in headless mode, but pin the viewport anyway.
    driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
        Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", false));
    return new Browser(driver, profile);
  }

  private static Logger quiet() {
    Logger log = Logger.getLogger("org.openqa.selenium");
    log.setLevel(Level.SEVERE);
    return log;
  }

  public void open(String url) {
    driver.get(url);
  }

  public WebElement find(String css) {
    return driver.findElement(By.cssSelector(css));
  }

  /** The element's text as written, whatever CSS does to its case or visibility. */
  public String text(String css) {
    return fresh(() -> find(css).getDomProperty("textContent").trim());
  }

  public String attr(String css, String name) {
    return fresh(() -> find(css).getDomAttribute(name));
  }

  /** Reads again when the page replaced the element between finding and reading it. */
  private static <T> T fresh(Supplier<T> read) {
    for (int i = 0; ; i++) {
      try {
        return read.get();
      } catch (StaleElementReferenceException e) {
        if (i == 4) throw e;
      }
    }
  }

  /** Waits until the condition holds, failing with the last value of {@code what} if it never does. */
  public void waitFor(Duration timeout, Supplier<Boolean> condition, Supplier<String> what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    RuntimeException last = null;
    while (true) {
      try {
        if (Boolean.TRUE.equals(condition.get())) return;
        last = null;
      } catch (WebDriverException e) {
        last = e; // an element replaced or not there yet
      }
      if (System.nanoTime() > deadline) {
        String seen;
        try {
          seen = what.get();
        } catch (RuntimeException e) {
          seen = e.toString();
        }
        throw new AssertionError("not within " + timeout.toMillis() + " ms: " + seen, last);
      }
      try {
        Thread.sleep(40);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
  }

  /** The console entries since the last call (warnings and errors included). */
  /**
   * After a test: the page's cookies gone, the page left before its server stops, and what it
   * logged meanwhile dropped, so the next test of this browser starts clean.
   */
  public void leave(TestApp app) {
    driver.manage().deleteAllCookies(); // the page's own: about:blank has none to delete
    driver.get("about:blank");
    if (app != null) app.close();
    console();
  }

  public List<LogEntry> console() {
    return driver.manage().logs().get(LogType.BROWSER).getAll();
  }

  public Object script(String js, Object... args) {
    return driver.executeScript(js, args);
  }

  public byte[] screenshot() {
    return driver.getScreenshotAs(OutputType.BYTES);
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      try (Stream<Path> files = Files.walk(profile)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        // a temp dir left behind is harmless
      }
    }
  }
}
