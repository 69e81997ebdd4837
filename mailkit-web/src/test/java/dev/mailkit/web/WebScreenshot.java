package dev.mailkit.web;

import org.openqa.selenium.OutputType;

import java.awt.Color;
import java.awt.Font;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

import javax.imageio.ImageIO;

/**
 * Takes the README's screenshot (docs/web-inbox.png) in headless Chromium: an open test inbox with a few messages,
 * one HTML newsletter with an inline image opened. {@code java ... dev.mailkit.web.WebScreenshot docs/web-inbox.png}.
 */
public final class WebScreenshot {
    private WebScreenshot() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "docs/web-inbox.png");
        try (WebFixture f = WebFixture.open(b -> b.label("dev inbox")); Browser browser = new Browser()) {
            f.send("billing@shop.example", List.of("ann@example.test"), WebFixture.message(
                    "Shop Billing <billing@shop.example>", "ann@example.test", "Your invoice for May",
                    "Hello Ann, your invoice is attached. Thanks for shopping with us!"));
            f.send("alerts@ci.example", List.of("dev@example.test"), WebFixture.message("CI <alerts@ci.example>",
                    "dev@example.test", "Build #4711 passed", "All 1 284 tests passed in 3 min 12 s."));
            f.send("noreply@accounts.example", List.of("ann@example.test", "audit@example.test"),
                    WebFixture.message("Accounts <noreply@accounts.example>", "ann@example.test",
                            "Reset your password", "Someone asked to reset your password. Use the link below."));
            String banner = Base64.getMimeEncoder(76, "\r\n".getBytes()).encodeToString(banner());
            String html = "<div style=\"font-family:Georgia,serif;max-width:560px;margin:auto;color:#222\">\r\n"
                    + "<img src=\"cid:banner@news\" width=\"560\" alt=\"Spring news\">\r\n"
                    + "<h1 style=\"color:#2d6cdf\">Spring is here</h1>\r\n"
                    + "<p>Hello Ann,</p><p>our <b>spring collection</b> has arrived: light jackets, linen shirts and"
                    + " the return of the <i>garden chair</i> you asked about.</p>\r\n"
                    + "<p><img src=\"https://tracker.example/open.gif\" alt=\"\"> Remote images stay blocked until you"
                    + " allow them.</p>\r\n<p style=\"font-size:12px;color:#777\">You get this because you asked"
                    + " for it. <a href=\"https://shop.example/unsubscribe\">Unsubscribe</a></p></div>";
            String raw = "From: Garden Shop <news@shop.example>\r\nTo: Ann <ann@example.test>\r\nSubject: Spring is"
                    + " here: the new collection\r\nMessage-ID: <spring@shop.example>\r\nMIME-Version: 1.0\r\n"
                    + "List-Unsubscribe: <https://shop.example/unsubscribe>\r\nContent-Type: multipart/related; "
                    + "boundary=R\r\n\r\n--R\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + html + "\r\n--R\r\n"
                    + "Content-Type: image/png\r\nContent-ID: <banner@news>\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                    + banner + "\r\n--R--\r\n";
            f.send("news@shop.example", List.of("ann@example.test"), raw);
            browser.go(f.web.url());
            browser.await("document.querySelectorAll('#messages li').length === 4");
            browser.armFrameLoad("html-frame");
            browser.find("#messages li").click();
            browser.awaitFrameLoad();
            browser.await("document.getElementById('counts').textContent.includes('3 unread')"
                    + " && document.querySelector('#sidebar .badge').textContent === '3'");
            Files.write(out, browser.driver.getScreenshotAs(OutputType.BYTES));
            System.out.println("wrote " + out.toAbsolutePath());
        }
    }

    private static byte[] banner() throws Exception {
        BufferedImage img = new BufferedImage(560, 140, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setPaint(new GradientPaint(0, 0, new Color(0x7cc47f), 560, 140, new Color(0x2d6cdf)));
        g.fillRect(0, 0, 560, 140);
        g.setColor(Color.WHITE);
        g.setFont(new Font(Font.SERIF, Font.BOLD, 40));
        g.drawString("Spring collection", 30, 85);
        g.dispose();
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        ImageIO.write(img, "png", b);
        return b.toByteArray();
    }
}
