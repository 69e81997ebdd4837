// mailkit web inbox: plain JavaScript, no framework, no build step. Everything from a message is put into the page
// as text (textContent, attribute values), never as markup; the message's HTML is shown only inside a sandboxed
// frame that the server serves under a Content-Security-Policy without scripts.
'use strict';

const state = { config: null, account: '', mailbox: 'INBOX', query: '', start: 0, limit: 50, total: 0,
  messages: [], selected: null, view: 'list', mailboxes: [] };

const $ = (id) => document.getElementById(id);

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'class') e.className = v;
    else if (k === 'onclick') e.addEventListener('click', v);
    else if (k.startsWith('data-')) e.setAttribute(k, v);
    else e[k] = v;
  }
  for (const c of children) {
    if (c === null || c === undefined) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

async function api(method, path, body, raw) {
  const headers = { 'X-Requested-With': 'mailkit-inbox' };
  if (state.config && state.config.CSRF) headers['X-CSRF-Token'] = state.config.CSRF;
  const opts = { method, headers, credentials: 'same-origin' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    opts.body = JSON.stringify(body);
  }
  const r = await fetch(path, opts);
  if (r.status === 401) { location.href = '/login'; throw new Error('not logged in'); }
  if (!r.ok) throw new Error((await r.text()).trim() || r.statusText);
  if (raw) return r.text();
  const ct = r.headers.get('Content-Type') || '';
  return ct.startsWith('application/json') ? r.json() : r.text();
}

function params(extra) {
  const p = new URLSearchParams(extra || {});
  if (state.account) p.set('account', state.account);
  if (state.mailbox !== 'INBOX') p.set('mailbox', state.mailbox);
  return p.toString();
}

function addressText(a) {
  if (!a) return '';
  return a.Name ? a.Name + ' <' + a.Address + '>' : a.Address;
}

function when(t) {
  const d = new Date(t);
  return isNaN(d) ? '' : d.toLocaleString();
}

// ---- mailboxes ----------------------------------------------------------------------------------------------------

async function loadMailboxes() {
  const accounts = await api('GET', '/api/mailkit/v1/mailboxes');
  state.mailboxes = accounts;
  const nav = $('sidebar');
  nav.replaceChildren();
  for (const acc of accounts) {
    if (accounts.length > 1 || !state.config.Open) nav.append(el('h3', {}, acc.Account));
    for (const box of acc.Mailboxes) {
      if (!box.Selectable) continue;
      const current = state.view === 'list' && acc.Account === (state.account || accounts[0].Account)
        && box.Name === state.mailbox;
      const a = el('a', { href: '#', class: current ? 'current' : '', 'data-mailbox': box.Name,
        onclick: (ev) => { ev.preventDefault(); selectMailbox(acc.Account, box.Name); } },
        el('span', {}, box.Name), el('span', { class: 'badge' }, box.Unread ? String(box.Unread) : ''));
      nav.append(a);
    }
  }
  nav.append(el('h3', {}, 'Delivery'));
  if (state.config.TraceEnabled) {
    nav.append(el('a', { href: '#', id: 'nav-trace', class: state.view === 'trace' ? 'current' : '',
      onclick: (ev) => { ev.preventDefault(); showTransactions(); } }, el('span', {}, 'Where did my mail go?')));
  }
  if (state.config.QueueEnabled) {
    nav.append(el('a', { href: '#', id: 'nav-queue', class: state.view === 'queue' ? 'current' : '',
      onclick: (ev) => { ev.preventDefault(); showQueue(); } }, el('span', {}, 'Relay queue')));
  }
}

function selectMailbox(account, name) {
  state.view = 'list';
  state.account = account === state.config.Accounts[0] ? '' : account;
  state.mailbox = name;
  state.start = 0;
  state.selected = null;
  $('detail').replaceChildren(el('p', { class: 'empty' }, 'Select a message.'));
  loadList();
  loadMailboxes();
}

// ---- the message list ---------------------------------------------------------------------------------------------

async function loadList() {
  state.view = 'list';
  const extra = { start: state.start, limit: state.limit };
  let data;
  if (state.query) {
    extra.query = state.query;
    extra.tz = Intl.DateTimeFormat().resolvedOptions().timeZone;
    data = await api('GET', '/api/v1/search?' + params(extra));
  } else {
    data = await api('GET', '/api/v1/messages?' + params(extra));
  }
  state.messages = data.messages;
  state.total = data.messages_count;
  $('list-title').textContent = state.mailbox;
  $('counts').textContent = data.messages_count + (state.query ? ' found' : ' messages') + ', '
    + data.messages_unread + ' unread';
  $('page').textContent = data.messages_count === 0 ? '' : (state.start + 1) + '–'
    + Math.min(state.start + state.limit, data.messages_count) + ' of ' + data.messages_count;
  $('prev').disabled = state.start === 0;
  $('next').disabled = state.start + state.limit >= data.messages_count;
  renderList();
}

function messageItem(m) {
  const tags = (m.Tags || []).map((t) => el('span', { class: 'tag' }, t));
  return el('li', { class: 'message' + (m.Read ? '' : ' unread') + (state.selected === m.ID ? ' selected' : ''),
    'data-id': m.ID, tabIndex: 0, onclick: () => openMessage(m.ID) },
  el('div', { class: 'row' },
    el('span', { class: 'from' }, m.From && (m.From.Name || m.From.Address) || '(no sender)'),
    el('span', { class: 'date' }, when(m.Created))),
  el('div', { class: 'row' },
    el('span', { class: 'subject' }, (m.Flagged ? '\u2691 ' : '') + (m.Subject || '(no subject)'), ...tags),
    m.Attachments ? el('span', { class: 'date', title: 'attachments' }, '\u{1F4CE}' + m.Attachments) : null),
  el('div', { class: 'snippet' }, m.Snippet || ''));
}

function renderList() {
  const ul = $('messages');
  ul.replaceChildren(...state.messages.map(messageItem));
}

function onScreen(data) {
  const account = data.Account || '';
  const current = state.account || state.config.Accounts[0];
  return state.view === 'list' && data.Mailbox === state.mailbox && (!account || account === current);
}

// ---- one message --------------------------------------------------------------------------------------------------

async function openMessage(id) {
  state.selected = id;
  for (const li of document.querySelectorAll('#messages li')) {
    li.classList.toggle('selected', li.dataset.id === id);
  }
  const m = await api('GET', '/api/v1/message/' + encodeURIComponent(id));
  const item = state.messages.find((x) => x.ID === id);
  if (item && !item.Read) { item.Read = true; renderList(); }
  renderMessage(m);
}

function renderMessage(m) {
  const d = $('detail');
  const list = (a) => (a || []).map(addressText).join(', ');
  const dl = el('dl', {},
    el('dt', {}, 'From'), el('dd', { id: 'm-from' }, addressText(m.From)),
    el('dt', {}, 'To'), el('dd', { id: 'm-to' }, list(m.To)));
  if (m.Cc && m.Cc.length) dl.append(el('dt', {}, 'Cc'), el('dd', {}, list(m.Cc)));
  if (m.Bcc && m.Bcc.length) dl.append(el('dt', {}, 'Bcc'), el('dd', { id: 'm-bcc' }, list(m.Bcc)));
  dl.append(el('dt', {}, 'Date'), el('dd', {}, when(m.Date)));
  const head = el('div', { class: 'head' }, el('h1', { id: 'm-subject' }, m.Subject || '(no subject)'), dl);
  const tools = el('div', { class: 'tools' },
    el('button', { id: 'reply', type: 'button', onclick: () => compose(m) }, 'Reply'),
    el('button', { id: 'toggle-read', type: 'button', onclick: () => setRead(m.ID, false) }, 'Mark unread'),
    el('button', { id: 'toggle-flag', type: 'button', onclick: () => setFlag(m.ID, !m.Flagged) },
      m.Flagged ? 'Unflag' : 'Flag'),
    moveSelect(m),
    el('a', { href: '/api/v1/message/' + encodeURIComponent(m.ID) + '/raw?download=1', download: '' },
      el('button', { type: 'button' }, 'Download .eml')),
    state.config.MessageRelay.Enabled
      ? el('button', { id: 'release', type: 'button', onclick: () => release(m.ID) }, 'Release') : null,
    el('button', { id: 'delete', type: 'button', class: 'danger', onclick: () => remove([m.ID]) }, 'Delete'));
  if (!state.config.SendEnabled) tools.querySelector('#reply').hidden = true;
  const pane = el('div', { class: 'pane', id: 'pane' });
  const tabs = el('div', { class: 'tabs', role: 'tablist' });
  const names = [];
  if (m.HTML) names.push(['html', 'HTML']);
  names.push(['text', 'Text'], ['headers', 'Headers'], ['source', 'Source'], ['mime', 'MIME']);
  if ((m.Attachments || []).length || (m.Inline || []).length) names.push(['attachments', 'Attachments']);
  names.push(['trace', 'Trace']);
  for (const [key, label] of names) {
    tabs.append(el('button', { type: 'button', id: 'tab-' + key, 'data-tab': key,
      onclick: () => showTab(m, key) }, label));
  }
  d.replaceChildren(head, tools, tabs, pane);
  showTab(m, names[0][0]);
}

function moveSelect(m) {
  const acc = state.mailboxes.find((a) => a.Account === m.Account) || state.mailboxes[0];
  const s = el('select', { id: 'move', title: 'Move to' }, el('option', { value: '' }, 'Move to…'));
  for (const b of (acc ? acc.Mailboxes : [])) {
    if (b.Selectable && b.Name !== m.Mailbox) s.append(el('option', { value: b.Name }, b.Name));
  }
  s.addEventListener('change', async () => {
    if (!s.value) return;
    await api('POST', '/api/mailkit/v1/messages/move', { IDs: [m.ID], Mailbox: s.value });
    closeDetail();
    loadList();
    loadMailboxes();
  });
  return s;
}

async function showTab(m, key) {
  for (const b of document.querySelectorAll('.tabs button')) b.classList.toggle('current', b.dataset.tab === key);
  const pane = $('pane');
  const id = encodeURIComponent(m.ID);
  if (key === 'html') {
    const frame = el('iframe', { id: 'html-frame', title: 'message HTML', referrerPolicy: 'no-referrer' });
    // no allow-scripts, no allow-same-origin, no allow-forms: the message can neither run nor reach the inbox
    frame.setAttribute('sandbox', 'allow-popups allow-popups-to-escape-sandbox');
    frame.src = '/view/' + id + '.html?embed=1';
    const notice = el('div', { class: 'notice', id: 'remote-notice' }, 'Remote images and styles are blocked. ',
      el('button', { type: 'button', id: 'allow-remote', onclick: () => {
        frame.src = '/view/' + id + '.html?embed=1&remote=1';
        notice.remove();
      } }, 'Show remote content'));
    pane.replaceChildren(notice, frame);
  } else if (key === 'text') {
    pane.replaceChildren(el('pre', { id: 'text-body' }, m.Text || '(no text part)'));
  } else if (key === 'source') {
    pane.replaceChildren(el('pre', { id: 'source' }, await api('GET', '/api/v1/message/' + id + '/raw', undefined, true)));
  } else if (key === 'headers') {
    const h = await api('GET', '/api/v1/message/' + id + '/headers');
    const t = el('table', { class: 'kv', id: 'headers-table' });
    for (const [k, vs] of Object.entries(h)) for (const v of vs) t.append(el('tr', {}, el('th', {}, k), el('td', {}, v)));
    pane.replaceChildren(t);
  } else if (key === 'mime') {
    const tree = await api('GET', '/api/mailkit/v1/message/' + id + '/structure');
    const render = (n) => el('li', {}, (n.PartID || 'message') + '  ' + n.ContentType + '  ' + n.Size + ' octets'
      + (n.Role ? '  (' + n.Role + ')' : '') + (n.FileName ? '  ' + n.FileName : ''),
    n.Parts ? el('ul', { class: 'tree' }, ...n.Parts.map(render)) : null);
    pane.replaceChildren(el('ul', { class: 'tree', id: 'mime-tree' }, render(tree)));
  } else if (key === 'attachments') {
    const box = el('div', { class: 'attachments', id: 'attachment-list' });
    for (const a of [...(m.Attachments || []), ...(m.Inline || [])]) {
      box.append(el('a', { href: '/api/v1/message/' + id + '/part/' + encodeURIComponent(a.PartID), download: '',
        class: 'attachment', 'data-part': a.PartID }, (a.FileName || 'part ' + a.PartID) + ' (' + a.ContentType
        + ', ' + a.Size + ' octets)'));
    }
    pane.replaceChildren(box);
  } else if (key === 'trace') {
    pane.replaceChildren(traceView(await api('GET', '/api/mailkit/v1/message/' + id + '/trace')));
  }
}

function traceView(t) {
  const out = el('div', { id: 'trace' });
  if (t.Envelope) {
    const e = t.Envelope;
    out.append(el('h3', {}, 'Envelope'), table([['MAIL FROM', e.MailFrom], ['RCPT TO', e.RcptTo.join(', ')],
      ['Client', e.Client + (e.Helo ? ' (' + e.Helo + ')' : '')], ['Authenticated', e.AuthenticatedUser],
      ['TLS', e.Tls], ['Protocol', e.Protocol], ['Received', when(e.Received)]]));
  }
  if (t.Events && t.Events.length) {
    out.append(el('h3', {}, 'What happened'), table(t.Events.map((ev) => [when(ev.Time) + ' ' + ev.Kind,
      (ev.Subject ? ev.Subject + ': ' : '') + ev.Detail])));
  }
  if (t.Verdicts && t.Verdicts.length) {
    out.append(el('h3', {}, 'Filter verdicts'), table(t.Verdicts.map((v) => [v.Name, v.Value])));
  }
  if (t.Transcript && t.Transcript.length) {
    out.append(el('h3', {}, 'SMTP transcript'), el('pre', { id: 'transcript' }, t.Transcript.join('\n')));
  }
  if (out.childElementCount === 0) out.append(el('p', { class: 'empty' }, 'No trace recorded for this message.'));
  return out;
}

function table(rows) {
  const t = el('table', { class: 'kv' });
  for (const [k, v] of rows) if (v) t.append(el('tr', {}, el('th', {}, k), el('td', {}, v)));
  return t;
}

function closeDetail() {
  state.selected = null;
  $('detail').replaceChildren(el('p', { class: 'empty' }, 'Select a message.'));
}

async function remove(ids) {
  await api('DELETE', '/api/v1/messages', { IDs: ids });
  if (ids.includes(state.selected)) closeDetail();
  state.messages = state.messages.filter((m) => !ids.includes(m.ID));
  renderList();
}

async function setRead(id, read) {
  await api('PUT', '/api/v1/messages', { IDs: [id], Read: read });
  const m = state.messages.find((x) => x.ID === id);
  if (m) { m.Read = read; renderList(); }
}

async function setFlag(id, flagged) {
  await api('PUT', '/api/mailkit/v1/messages/flags', { IDs: [id], Flagged: flagged });
  openMessage(id);
}

async function release(id) {
  const to = prompt('Release to (addresses, comma separated):');
  if (!to) return;
  await api('POST', '/api/v1/message/' + encodeURIComponent(id) + '/release',
    { To: to.split(',').map((s) => s.trim()).filter(Boolean) });
}

// ---- writing ------------------------------------------------------------------------------------------------------

function compose(replyTo) {
  state.replyTo = replyTo ? replyTo.ID : '';
  $('c-from').value = state.config.Address || '';
  $('c-from').readOnly = !!state.config.Address;
  $('c-to').value = replyTo ? ((replyTo.ReplyTo && replyTo.ReplyTo.length ? replyTo.ReplyTo[0] : replyTo.From)
    || {}).Address || '' : '';
  $('c-cc').value = '';
  $('c-bcc').value = '';
  $('c-subject').value = replyTo ? (/^re:/i.test(replyTo.Subject) ? replyTo.Subject : 'Re: ' + replyTo.Subject) : '';
  $('c-text').value = replyTo ? '\n\n> ' + (replyTo.Text || '').split('\n').join('\n> ') : '';
  $('c-error').textContent = '';
  $('compose').showModal();
}

function addressList(s) {
  return s.split(',').map((x) => x.trim()).filter(Boolean);
}

async function send() {
  const from = $('c-from').value.trim();
  const req = { From: { Email: from }, To: addressList($('c-to').value).map((a) => ({ Email: a })),
    Cc: addressList($('c-cc').value).map((a) => ({ Email: a })), Bcc: addressList($('c-bcc').value),
    Subject: $('c-subject').value, Text: $('c-text').value };
  if (state.replyTo) req.InReplyTo = state.replyTo;
  try {
    await api('POST', '/api/v1/send', req);
    $('compose').close();
    loadMailboxes();
  } catch (e) {
    $('c-error').textContent = e.message;
  }
}

// ---- delivery: trace and queue ------------------------------------------------------------------------------------

async function showTransactions() {
  state.view = 'trace';
  loadMailboxes();
  const list = await api('GET', '/api/mailkit/v1/transactions');
  const d = $('detail');
  const box = el('div', { class: 'pane', id: 'transactions' }, el('h2', {}, 'Where did my mail go?'));
  if (!list.length) box.append(el('p', { class: 'empty' }, 'No messages sent yet.'));
  for (const t of list) box.append(el('h3', {}, t.TransactionID), traceView(t));
  d.replaceChildren(box);
}

async function showQueue() {
  state.view = 'queue';
  loadMailboxes();
  const list = await api('GET', '/api/mailkit/v1/queue');
  const box = el('div', { class: 'pane', id: 'queue' }, el('h2', {}, 'Relay queue'));
  if (!list.length) box.append(el('p', { class: 'empty' }, 'The queue is empty.'));
  for (const q of list) {
    const act = (a, method) => el('button', { type: 'button', 'data-action': a, onclick: async () => {
      await api(method || 'POST', '/api/mailkit/v1/queue/' + encodeURIComponent(q.ID) + (method ? '' : '/' + a));
      showQueue();
    } }, a);
    box.append(el('h3', {}, q.ID + (q.Held ? ' (held)' : '')), table([['From', q.From], ['Created', when(q.Created)],
      ['Attempts', String(q.Attempts)], ['Next attempt', when(q.NextAttempt)],
      ...q.Recipients.map((r) => [r.Address, r.State + (r.LastReply ? ': ' + r.LastReply : '')])]),
    el('div', { class: 'tools' }, act('retry'), q.Held ? act('release') : act('hold'), act('delete', 'DELETE')));
  }
  $('detail').replaceChildren(box);
}

// ---- live updates -------------------------------------------------------------------------------------------------

function listen() {
  const es = new EventSource('/api/events');
  es.onopen = () => $('live').classList.add('on');
  es.onerror = () => $('live').classList.remove('on');
  es.onmessage = (ev) => {
    let e;
    try { e = JSON.parse(ev.data); } catch (x) { return; }
    const data = e.Data || {};
    if (e.Type === 'stats') {
      if (onScreen(data) && !state.query) {
        $('counts').textContent = data.Total + ' messages, ' + data.Unread + ' unread';
      }
      loadMailboxesSoon();
      return;
    }
    if (!onScreen(data)) return;
    if (e.Type === 'new') {
      if (state.query || state.start > 0) { loadList(); return; }
      if (!state.messages.some((m) => m.ID === data.ID)) {
        state.messages.unshift(data);
        if (state.messages.length > state.limit) state.messages.pop();
        state.total++;
        renderList();
      }
    } else if (e.Type === 'update') {
      const m = state.messages.find((x) => x.ID === data.ID);
      if (m) { Object.assign(m, { Read: data.Read, Flagged: data.Flagged, Tags: data.Tags }); renderList(); }
    } else if (e.Type === 'delete') {
      state.messages = state.messages.filter((m) => !data.IDs.includes(m.ID));
      if (data.IDs.includes(state.selected)) closeDetail();
      renderList();
    } else if (e.Type === 'reload') {
      loadList();
    }
  };
}

let mailboxTimer = null;
function loadMailboxesSoon() {
  if (mailboxTimer) return;
  mailboxTimer = setTimeout(() => { mailboxTimer = null; loadMailboxes(); }, 300);
}

// ---- start --------------------------------------------------------------------------------------------------------

async function start() {
  state.config = await api('GET', '/api/v1/webui');
  $('label').textContent = state.config.Label || '';
  $('user').textContent = state.config.User || (state.config.Open ? 'open test inbox' : '');
  $('logout').hidden = state.config.Open;
  $('compose-button').hidden = !state.config.SendEnabled;
  $('search-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    state.query = $('search').value.trim();
    state.start = 0;
    loadList();
  });
  $('prev').addEventListener('click', () => { state.start = Math.max(0, state.start - state.limit); loadList(); });
  $('next').addEventListener('click', () => { state.start += state.limit; loadList(); });
  $('compose-button').addEventListener('click', () => compose(null));
  $('c-send').addEventListener('click', send);
  $('c-cancel').addEventListener('click', () => $('compose').close());
  $('mark-all-read').addEventListener('click', async () => {
    await api('PUT', '/api/v1/messages?' + params(), { Read: true });
    loadList();
  });
  $('delete-all').addEventListener('click', async () => {
    if (!confirm('Delete every message in ' + state.mailbox + '?')) return;
    await api('DELETE', '/api/v1/messages?' + params(), {});
    closeDetail();
    loadList();
  });
  $('logout').addEventListener('click', async () => {
    await api('POST', '/logout');
    location.href = '/login';
  });
  await loadMailboxes();
  await loadList();
  listen();
}

start().catch((e) => { document.body.append(el('p', { class: 'error' }, 'mailkit: ' + e.message)); });
