package dev.mailkit.examples.spring;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.stereotype.Service;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

/** A tiny Spring Boot application that sends a welcome mail when a user registers: the code under test. */
@SpringBootApplication
public class WelcomeMailApplication {

    /** Registers users and welcomes them by mail, through Spring's {@link JavaMailSender}. */
    @Service
    public static class Registration {
        private final JavaMailSender mail;

        public Registration(JavaMailSender mail) {
            this.mail = mail;
        }

        public void register(String address, String name) throws MessagingException {
            MimeMessage m = mail.createMimeMessage();
            MimeMessageHelper h = new MimeMessageHelper(m, true, "UTF-8");
            h.setFrom("welcome@shop.test");
            h.setTo(address);
            h.setBcc("audit@shop.test");
            h.setSubject("Welcome, " + name);
            h.setText("Hello " + name + ", thanks for signing up.", "<p>Hello <b>" + name + "</b></p>");
            mail.send(m);
        }
    }
}
