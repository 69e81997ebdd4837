package dev.mailkit.web;

import dev.mailkit.testsupport.ExternalTool;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Debian's Chromium, headless, driven by Debian's chromedriver through Selenium: nothing is downloaded (the driver
 * and the browser are given by path, so Selenium Manager is never asked). A fresh profile and download directory per
 * browser. Waits are event-driven: {@link #await} resolves a promise in the page when a MutationObserver sees the
 * condition hold, or fails at the timeout.
 */
final class Browser implements AutoCloseable {
    final ChromeDriver driver;
    final Path profile;
    final Path downloads;

    Browser() {
        Path chromium = ExternalTool.require("chromium");
        Path chromedriver = ExternalTool.require("chromedriver");
        try {
            profile = Files.createTempDirectory("mailkit-chromium-");
            downloads = Files.createDirectories(profile.resolve("downloads"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions o = new ChromeOptions();
        o.setBinary(chromium.toFile());
        o.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1400,900", "--user-data-dir=" + profile.resolve("profile"));
        Map<String, Object> prefs = new HashMap<>();
        prefs.put("download.default_directory", downloads.toString());
        prefs.put("download.prompt_for_download", false);
        prefs.put("safebrowsing.enabled", false);
        o.setExperimentalOption("prefs", prefs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(chromedriver.toFile()).usingAnyFreePort().build();
        driver = new ChromeDriver(service, o);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(15));
    }

    WebDriver go(String url) {
        driver.get(url);
        return driver;
    }

    /**
     * Waits until {@code condition} (a JavaScript expression) is true in the current page, watching the DOM for
     * changes rather than polling. Fails after the script timeout.
     */
    void await(String condition) {
        Object ok = ((JavascriptExecutor) driver).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "const check = () => { try { return !!(" + condition + "); } catch (e) { return false; } };"
                        + "if (check()) { done(true); return; }"
                        + "const timer = setTimeout(() => { obs.disconnect(); done(false); }, 14000);"
                        + "const obs = new MutationObserver(() => { if (check()) { obs.disconnect();"
                        + " clearTimeout(timer); done(true); } });"
                        + "obs.observe(document, {subtree: true, childList: true, attributes: true,"
                        + " characterData: true});");
        if (!Boolean.TRUE.equals(ok)) {
            throw new AssertionError("in the browser, this never became true: " + condition + "\n at "
                    + driver.getCurrentUrl() + ", the page says: " + js("return document.body ? "
                    + "document.body.innerText.substring(0, 2000) : ''"));
        }
    }

    /**
     * Arms a wait for the next {@code load} event of the frame with that id (in the current, top-level page). A
     * sandboxed frame without scripts runs no callbacks of ours, so its loading is watched from the parent: its
     * load event fires there once every resource of the frame was loaded or refused.
     */
    void armFrameLoad(String frameId) {
        js("window.__frameLoad = new Promise(resolve => document.addEventListener('load', e => {"
                + " if (e.target.id === arguments[0]) resolve(true); }, true));", frameId);
    }

    /** Waits for the load armed by {@link #armFrameLoad}. */
    void awaitFrameLoad() {
        Object ok = ((JavascriptExecutor) driver).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "const t = setTimeout(() => done(false), 14000);"
                        + "window.__frameLoad.then(() => { clearTimeout(t); done(true); });");
        if (!Boolean.TRUE.equals(ok)) {
            throw new AssertionError("the frame did not load");
        }
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    List<WebElement> findAll(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    /** Waits for a finished download of that name (Chromium writes .crdownload first, then renames). */
    Path awaitDownload(String name, Duration timeout) {
        Path target = downloads.resolve(name);
        long deadline = System.nanoTime() + timeout.toNanos();
        try (WatchService w = FileSystems.getDefault().newWatchService()) {
            downloads.register(w, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
            while (!Files.exists(target)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no download " + name + " within " + timeout + "; the directory has "
                            + listing());
                }
                WatchKey k = w.poll(left, TimeUnit.NANOSECONDS);
                if (k != null) {
                    k.pollEvents();
                    k.reset();
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private String listing() {
        try (Stream<Path> s = Files.list(downloads)) {
            return s.map(p -> p.getFileName().toString()).toList().toString();
        } catch (IOException e) {
            return "?";
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (Stream<Path> s = Files.walk(profile)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temporary directory
            }
        }
    }
}
