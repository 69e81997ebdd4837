package dev.mailkit.test.junit;

import dev.mailkit.core.tls.TlsConfig;
import dev.mailkit.store.MailStore;
import dev.mailkit.test.ClientProtocol;
import dev.mailkit.test.Faults;
import dev.mailkit.test.MailKit;
import dev.mailkit.test.ReceivedMail;
import jakarta.mail.Session;

import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;

/**
 * Every operation of a {@link MailKit} test server, on the server of the running test: what the JUnit extension
 * offers besides its life cycle, so that code written against {@code MailKit} works on the extension unchanged
 * (a test checks that nothing is missing). Implementations give {@link #server()}.
 */
public interface MailKitOperations {
    /** The server the operations act on. */
    MailKit server();

    /** See {@link MailKit#host()}. */
    default String host() {
        return server().host();
    }

    /** See {@link MailKit#smtpPort()}. */
    default int smtpPort() {
        return server().smtpPort();
    }

    /** See {@link MailKit#smtpsPort()}. */
    default int smtpsPort() {
        return server().smtpsPort();
    }

    /** See {@link MailKit#imapPort()}. */
    default int imapPort() {
        return server().imapPort();
    }

    /** See {@link MailKit#imapsPort()}. */
    default int imapsPort() {
        return server().imapsPort();
    }

    /** See {@link MailKit#pop3Port()}. */
    default int pop3Port() {
        return server().pop3Port();
    }

    /** See {@link MailKit#pop3sPort()}. */
    default int pop3sPort() {
        return server().pop3sPort();
    }

    /** See {@link MailKit#webUrl()}. */
    default String webUrl() {
        return server().webUrl();
    }

    /** See {@link MailKit#installSieveScript(String, String)}. */
    default void installSieveScript(String address, String script) {
        server().installSieveScript(address, script);
    }

    /** See {@link MailKit#store()}. */
    default MailStore store() {
        return server().store();
    }

    /** See {@link MailKit#deliver(String, String...)}. */
    default void deliver(String address, String... messages) {
        server().deliver(address, messages);
    }

    /** See {@link MailKit#preload(String, Path...)}. */
    default void preload(String address, Path... emlFiles) {
        server().preload(address, emlFiles);
    }

    /** See {@link MailKit#tls()}. */
    default TlsConfig tls() {
        return server().tls();
    }

    /** See {@link MailKit#sslContext()}. */
    default SSLContext sslContext() {
        return server().sslContext();
    }

    /** See {@link MailKit#trustStore()}. */
    default KeyStore trustStore() {
        return server().trustStore();
    }

    /** See {@link MailKit#certificatePem()}. */
    default String certificatePem() {
        return server().certificatePem();
    }

    /** See {@link MailKit#clientProperties(ClientProtocol)}. */
    default Properties clientProperties(ClientProtocol protocol) {
        return server().clientProperties(protocol);
    }

    /** See {@link MailKit#clientSession(ClientProtocol)}. */
    default Session clientSession(ClientProtocol protocol) {
        return server().clientSession(protocol);
    }

    /** See {@link MailKit#clientSession(ClientProtocol, String, String)}. */
    default Session clientSession(ClientProtocol protocol, String user, String password) {
        return server().clientSession(protocol, user, password);
    }

    /** See {@link MailKit#faults()}. */
    default Faults faults() {
        return server().faults();
    }

    /** See {@link MailKit#takeMessage()}. */
    default ReceivedMail takeMessage() {
        return server().takeMessage();
    }

    /** See {@link MailKit#takeMessage(Duration)}. */
    default ReceivedMail takeMessage(Duration timeout) {
        return server().takeMessage(timeout);
    }

    /** See {@link MailKit#takeMessages(int)}. */
    default List<ReceivedMail> takeMessages(int n) {
        return server().takeMessages(n);
    }

    /** See {@link MailKit#takeMessages(int, Duration)}. */
    default List<ReceivedMail> takeMessages(int n, Duration timeout) {
        return server().takeMessages(n, timeout);
    }

    /** See {@link MailKit#awaitMessages(int)}. */
    default List<ReceivedMail> awaitMessages(int n) {
        return server().awaitMessages(n);
    }

    /** See {@link MailKit#awaitMessages(int, Duration)}. */
    default List<ReceivedMail> awaitMessages(int n, Duration timeout) {
        return server().awaitMessages(n, timeout);
    }

    /** See {@link MailKit#awaitMessagesTo(String, int)}. */
    default List<ReceivedMail> awaitMessagesTo(String recipient, int n) {
        return server().awaitMessagesTo(recipient, n);
    }

    /** See {@link MailKit#awaitMessagesTo(String, int, Duration)}. */
    default List<ReceivedMail> awaitMessagesTo(String recipient, int n, Duration timeout) {
        return server().awaitMessagesTo(recipient, n, timeout);
    }

    /** See {@link MailKit#messages()}. */
    default List<ReceivedMail> messages() {
        return server().messages();
    }

    /** See {@link MailKit#messagesTo(String)}. */
    default List<ReceivedMail> messagesTo(String recipient) {
        return server().messagesTo(recipient);
    }

    /** See {@link MailKit#find(Predicate<ReceivedMail>)}. */
    default List<ReceivedMail> find(Predicate<ReceivedMail> condition) {
        return server().find(condition);
    }

    /** See {@link MailKit#sessionTranscripts()}. */
    default List<List<String>> sessionTranscripts() {
        return server().sessionTranscripts();
    }

    /** See {@link MailKit#purgeRecords()}. */
    default void purgeRecords() {
        server().purgeRecords();
    }

    /** See {@link MailKit#purgeMailboxes()}. */
    default int purgeMailboxes() {
        return server().purgeMailboxes();
    }

    /** See {@link MailKit#purgeAll()}. */
    default void purgeAll() {
        server().purgeAll();
    }
}
