// The mailpit-api npm client (https://www.npmjs.com/package/mailpit-api) against mailkit's API. Usage:
//   node mailpit-client.mjs BASE_URL RELEASE_TO
// Prints one line per check and exits non-zero at the first failure.
import { MailpitClient } from "mailpit-api";
import assert from "node:assert/strict";

const [base, releaseTo] = process.argv.slice(2);
const mailpit = new MailpitClient(base);
let checks = 0;

async function check(name, fn) {
  try {
    await fn();
    checks++;
    console.log("ok   " + name);
  } catch (e) {
    console.log("FAIL " + name + ": " + (e && e.stack ? e.stack : e));
    process.exit(1);
  }
}

let id;
let attachmentPart;

await check("info", async () => {
  const info = await mailpit.getInfo();
  assert.match(info.Version, /mailkit/);
  assert.equal(typeof info.Messages, "number");
});

await check("the SMTP message is listed", async () => {
  const list = await mailpit.listMessages();
  assert.equal(list.messages_count, 1);
  assert.equal(list.messages[0].Subject, "Over SMTP");
  assert.equal(list.messages[0].From.Address, "smtp-sender@example.org");
});

await check("sendMessage", async () => {
  const r = await mailpit.sendMessage({
    From: { Email: "npm@example.org", Name: "npm client" },
    To: [{ Email: "recipient@example.test", Name: "Recipient" }],
    Cc: [{ Email: "cc@example.test" }],
    Bcc: ["bcc@example.test"],
    Subject: "npm hello",
    Text: "plain body",
    HTML: "<p>html <b>body</b></p>",
    Tags: ["from-npm"],
    Headers: { "X-Test": "yes" },
    Attachments: [{ Filename: "hello.txt", Content: Buffer.from("hello attachment").toString("base64") }],
  });
  assert.ok(r.ID, "an ID");
  id = r.ID;
});

await check("listMessages and paging", async () => {
  const list = await mailpit.listMessages(0, 1);
  assert.equal(list.messages_count, 2);
  assert.equal(list.messages.length, 1);
  assert.equal(list.messages[0].ID, id);
  assert.equal(list.messages[0].Subject, "npm hello");
  assert.deepEqual(list.messages[0].Tags, ["from-npm"]);
  assert.equal(list.messages[0].Attachments, 1);
  const second = await mailpit.listMessages(1, 1);
  assert.equal(second.messages[0].Subject, "Over SMTP");
});

await check("searchMessages", async () => {
  const r = await mailpit.searchMessages({ query: 'subject:"npm hello" from:npm@example.org' });
  assert.equal(r.messages_count, 1);
  assert.equal(r.messages[0].ID, id);
  const none = await mailpit.searchMessages({ query: "-subject:npm is:unread from:npm" });
  assert.equal(none.messages_count, 0);
});

await check("getMessageSummary (marks read)", async () => {
  const m = await mailpit.getMessageSummary(id);
  assert.equal(m.Subject, "npm hello");
  assert.equal(m.Text, "plain body");
  assert.equal(m.HTML, "<p>html <b>body</b></p>");
  assert.equal(m.From.Name, "npm client");
  assert.deepEqual(m.To.map((a) => a.Address), ["recipient@example.test"]);
  assert.deepEqual(m.Cc.map((a) => a.Address), ["cc@example.test"]);
  assert.deepEqual(m.Bcc.map((a) => a.Address), ["bcc@example.test"]);
  assert.equal(m.Attachments.length, 1);
  assert.equal(m.Attachments[0].FileName, "hello.txt");
  assert.equal(m.Attachments[0].Size, 16);
  attachmentPart = m.Attachments[0].PartID;
  const latest = await mailpit.getMessageSummary();
  assert.equal(latest.ID, id);
  const list = await mailpit.listMessages();
  assert.equal(list.messages.find((x) => x.ID === id).Read, true);
});

await check("getMessageHeaders", async () => {
  const h = await mailpit.getMessageHeaders(id);
  assert.deepEqual(h["Subject"], ["npm hello"]);
  assert.deepEqual(h["X-Test"], ["yes"]);
  assert.ok(h["Message-Id"]);
});

await check("getMessageSource", async () => {
  const src = await mailpit.getMessageSource(id);
  assert.match(src, /Subject: npm hello/);
  assert.match(src, /X-Test: yes/);
});

await check("getMessageAttachment", async () => {
  const blob = await mailpit.getMessageAttachment(id, attachmentPart);
  assert.equal(await blob.text(), "hello attachment");
  assert.match(blob.type, /^text\/plain/);
});

await check("renderMessageHTML and renderMessageText", async () => {
  assert.equal(await mailpit.renderMessageHTML(id), "<p>html <b>body</b></p>");
  assert.equal(await mailpit.renderMessageText(id), "plain body");
});

await check("setReadStatus", async () => {
  await mailpit.setReadStatus({ IDs: [id], Read: false });
  let r = await mailpit.searchMessages({ query: "is:unread subject:npm" });
  assert.equal(r.messages_count, 1);
  await mailpit.setReadStatus({ Read: true });
  r = await mailpit.listMessages();
  assert.equal(r.unread, 0);
  await mailpit.setReadStatus({ Search: "subject:SMTP", Read: false });
  r = await mailpit.listMessages();
  assert.equal(r.unread, 1);
});

await check("tags", async () => {
  await mailpit.setTags({ IDs: [id], Tags: ["Alpha", "beta tag"] });
  assert.deepEqual(await mailpit.getTags(), ["Alpha", "beta tag"]);
  await mailpit.renameTag("Alpha", "Gamma");
  await mailpit.deleteTag("beta tag");
  const m = await mailpit.getMessageSummary(id);
  assert.deepEqual(m.Tags, ["Gamma"]);
});

await check("releaseMessage", async () => {
  assert.equal(await mailpit.releaseMessage(id, { To: [releaseTo] }), "ok");
});

await check("waitForMessage", async () => {
  const m = await mailpit.waitForMessage({ query: "subject:SMTP" }, { timeout: 5000, interval: 100 });
  assert.equal(m.Subject, "Over SMTP");
});

await check("deleteMessagesBySearch", async () => {
  await mailpit.sendMessage({ From: { Email: "npm@example.org" }, To: [{ Email: "x@example.test" }],
    Subject: "to delete" });
  let r = await mailpit.listMessages();
  assert.equal(r.messages_count, 3);
  await mailpit.deleteMessagesBySearch({ query: 'subject:"to delete"' });
  r = await mailpit.listMessages();
  assert.equal(r.messages_count, 2);
});

await check("deleteMessages by ID and all", async () => {
  await mailpit.deleteMessages({ IDs: [id] });
  let r = await mailpit.listMessages();
  assert.equal(r.messages_count, 1);
  await assert.rejects(mailpit.getMessageSummary(id), /404/);
  await mailpit.deleteMessages();
  r = await mailpit.listMessages();
  assert.equal(r.messages_count, 0);
});

console.log("all " + checks + " checks passed");
