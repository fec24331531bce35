// The phone view's markup, style and script in one string: no build, no external assets.
// It talks only to the control API (/_sandbox/...), in English or Russian.

export const PHONE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Parley sandbox · phone</title>
<style>
  * { box-sizing: border-box; }
  body { margin: 0; font: 14px/1.4 system-ui, sans-serif; background: #d9dbd5; display: flex; justify-content: center; }
  .phone { width: 390px; max-width: 100vw; height: 100vh; max-height: 820px; margin-top: 1vh; display: flex; flex-direction: column;
    background: #efeae2; border-radius: 18px; overflow: hidden; box-shadow: 0 6px 30px rgba(0,0,0,.25); }
  header { background: #075e54; color: #fff; padding: 8px 10px; display: grid; gap: 6px; }
  header .row { display: flex; gap: 6px; align-items: center; }
  header select, header button { font: inherit; border-radius: 6px; border: 0; padding: 4px 6px; }
  header select { flex: 1; min-width: 0; }
  .title { font-weight: 600; flex: 1; }
  .meta { font-size: 12px; opacity: .85; }
  #chat { flex: 1; overflow-y: auto; padding: 10px; display: flex; flex-direction: column; gap: 6px; }
  .msg { max-width: 80%; padding: 6px 8px; border-radius: 8px; white-space: pre-wrap; word-wrap: break-word; position: relative; }
  .out { align-self: flex-start; background: #fff; }
  .in { align-self: flex-end; background: #d9fdd3; }
  .time { font-size: 11px; color: #667; margin-left: 6px; }
  .failed { color: #b00020; font-size: 12px; }
  .taps { display: grid; gap: 4px; margin-top: 6px; }
  .taps button { font: inherit; background: #f7f8fa; color: #027eb5; border: 1px solid #dde; border-radius: 6px; padding: 4px; cursor: pointer; }
  .reaction { position: absolute; bottom: -10px; right: 6px; background: #fff; border-radius: 10px; padding: 0 4px; font-size: 13px; }
  .react { border: 0; background: transparent; cursor: pointer; opacity: .5; }
  .react:hover { opacity: 1; }
  .emojis button { border: 0; background: transparent; font-size: 18px; cursor: pointer; }
  .empty { text-align: center; color: #667; margin-top: 30%; }
  form { display: flex; gap: 6px; padding: 8px; background: #f0f2f5; }
  form input { flex: 1; font: inherit; border: 0; border-radius: 18px; padding: 8px 12px; }
  form button { font: inherit; border: 0; border-radius: 18px; padding: 8px 14px; background: #00a884; color: #fff; cursor: pointer; }
  .actions { display: flex; gap: 6px; padding: 0 8px 8px; background: #f0f2f5; }
  .actions button { font: inherit; font-size: 12px; border: 1px solid #ccd; border-radius: 12px; background: #fff; padding: 3px 8px; cursor: pointer; }
  #error { color: #b00020; padding: 0 10px; font-size: 12px; background: #f0f2f5; }
</style>
</head>
<body>
<div class="phone">
  <header>
    <div class="row"><span class="title" data-t="title"></span><button id="lang" type="button">RU</button></div>
    <div class="row"><select id="number" aria-label="number"></select><select id="customer" aria-label="customer"></select></div>
    <div class="meta" id="meta"></div>
  </header>
  <div id="chat"></div>
  <div id="error"></div>
  <form id="composer"><input id="text" autocomplete="off"><button type="submit" data-t="send"></button></form>
  <div class="actions">
    <button type="button" id="block"></button>
    <button type="button" id="marketing"></button>
    <button type="button" id="report" data-t="report"></button>
  </div>
</div>
<script>
(function () {
  var T = {
    en: { title: 'Sandbox phone', send: 'Send', placeholder: 'Message as the customer', block: 'Block', unblock: 'Unblock',
      stop: 'Stop promotions', resume: 'Resume promotions', report: 'Report', open: 'Service window open until ',
      closed: 'Service window closed', empty: 'No messages yet', failed: 'Failed ', react: 'React', persona: 'persona',
      choose: 'Choose' },
    ru: { title: 'Телефон песочницы', send: 'Отправить', placeholder: 'Сообщение от имени клиента', block: 'Заблокировать',
      unblock: 'Разблокировать', stop: 'Отписаться от рекламы', resume: 'Вернуть рекламу', report: 'Пожаловаться',
      open: 'Окно обслуживания открыто до ', closed: 'Окно обслуживания закрыто', empty: 'Сообщений пока нет',
      failed: 'Ошибка ', react: 'Реакция', persona: 'персона', choose: 'Выбрать' }
  };
  var lang = localStorage.getItem('sandboxPhoneLang') === 'ru' ? 'ru' : 'en';
  var state = { number: '', customer: '', last: '', convo: null };
  var $ = function (id) { return document.getElementById(id); };
  function t(key) { return T[lang][key]; }
  function el(tag, cls, text) { var e = document.createElement(tag); if (cls) e.className = cls; if (text != null) e.textContent = text; return e; }
  function api(method, path, body) {
    return fetch(path, { method: method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined })
      .then(function (r) { return r.json().then(function (j) { if (!r.ok) throw new Error(j.error ? j.error.message : r.status); return j; }); });
  }
  function showError(e) { $('error').textContent = e ? String(e.message || e) : ''; }
  function act(body) {
    body.phoneNumberId = state.number;
    return api('POST', '/_sandbox/customers/' + state.customer + '/messages', body).then(function () { showError(); return poll(true); }, showError);
  }
  function applyLang() {
    document.documentElement.lang = lang;
    $('lang').textContent = lang === 'en' ? 'RU' : 'EN';
    document.querySelectorAll('[data-t]').forEach(function (n) { n.textContent = t(n.getAttribute('data-t')); });
    $('text').placeholder = t('placeholder');
    render(true);
  }
  function fillSelect(sel, items, value, label) {
    sel.textContent = '';
    items.forEach(function (it) { var o = el('option', null, label(it)); o.value = value(it); sel.appendChild(o); });
  }
  function load() {
    return Promise.all([api('GET', '/_sandbox/phone-numbers'), api('GET', '/_sandbox/customers')]).then(function (r) {
      fillSelect($('number'), r[0].data, function (n) { return n.id; }, function (n) { return n.verifiedName + ' +' + n.displayPhoneNumber; });
      fillSelect($('customer'), r[1].data, function (c) { return c.waId; }, function (c) { return c.name + ' +' + c.waId + ' (' + c.persona + ')'; });
      var q = new URLSearchParams(location.search);
      if (q.get('number')) $('number').value = q.get('number');
      if (q.get('customer')) $('customer').value = q.get('customer');
      state.number = $('number').value; state.customer = $('customer').value;
      return poll(true);
    }, showError);
  }
  function poll(force) {
    if (!state.number || !state.customer) return Promise.resolve();
    return api('GET', '/_sandbox/conversations/' + state.number + '/' + state.customer).then(function (c) {
      var key = JSON.stringify(c.items) + c.windowOpen + c.customer.blocked + c.customer.marketingStopped;
      if (!force && key === state.last) return;
      state.last = key; state.convo = c; render(false);
    }, showError);
  }
  function bubble(item) {
    var b = el('div', 'msg ' + item.direction);
    b.appendChild(document.createTextNode(item.text || '[' + item.type + ']'));
    var ticks = { sent: '✓', delivered: '✓✓', read: '✓✓ 👁', failed: '⚠', accepted: '…' };
    b.appendChild(el('span', 'time', new Date(item.at).toLocaleTimeString() + (item.status ? ' ' + (ticks[item.status] || item.status) : '')));
    if (item.failure) b.appendChild(el('div', 'failed', t('failed') + item.failure));
    if (item.taps && item.taps.length) {
      var taps = el('div', 'taps');
      if (item.listButton) taps.appendChild(el('div', 'meta', '☰ ' + item.listButton));
      item.taps.forEach(function (tap) {
        var btn = el('button', null, tap.title + (tap.description ? ' — ' + tap.description : ''));
        btn.type = 'button';
        btn.onclick = function () {
          if (tap.kind === 'quick_reply') act({ type: 'button', messageId: item.wamid, index: tap.index });
          else act({ type: tap.kind, messageId: item.wamid, id: tap.id });
        };
        taps.appendChild(btn);
      });
      b.appendChild(taps);
    }
    if (item.direction === 'out') {
      if (item.reaction) b.appendChild(el('span', 'reaction', item.reaction));
      var r = el('button', 'react', '☺'); r.type = 'button'; r.title = t('react');
      r.onclick = function () {
        var box = el('div', 'emojis');
        ['👍', '❤️', '😂', '😮', '🙏', ''].forEach(function (e) {
          var x = el('button', null, e || '✕'); x.type = 'button';
          x.onclick = function () { act({ type: 'reaction', messageId: item.wamid, emoji: e }); };
          box.appendChild(x);
        });
        r.replaceWith(box);
      };
      b.appendChild(r);
    }
    return b;
  }
  function render(labelsOnly) {
    var c = state.convo;
    if (!c) return;
    $('meta').textContent = (c.windowOpen ? t('open') + new Date(c.windowOpenUntil).toLocaleString() : t('closed')) +
      ' · ' + t('persona') + ': ' + c.customer.persona;
    $('block').textContent = c.customer.blocked ? t('unblock') : t('block');
    $('marketing').textContent = c.customer.marketingStopped ? t('resume') : t('stop');
    if (labelsOnly && c.items.length) return;
    var chat = $('chat');
    var atBottom = chat.scrollTop + chat.clientHeight >= chat.scrollHeight - 20;
    chat.textContent = '';
    if (!c.items.length) chat.appendChild(el('div', 'empty', t('empty')));
    c.items.forEach(function (item) { chat.appendChild(bubble(item)); });
    if (atBottom) chat.scrollTop = chat.scrollHeight;
  }
  function customerAction(action) {
    return api('POST', '/_sandbox/customers/' + state.customer + '/' + action, { phoneNumberId: state.number })
      .then(function () { showError(); return poll(true); }, showError);
  }
  $('composer').onsubmit = function (ev) {
    ev.preventDefault();
    var text = $('text').value.trim();
    if (!text) return;
    $('text').value = '';
    act({ type: 'text', text: text });
  };
  $('number').onchange = function () { state.number = this.value; poll(true); };
  $('customer').onchange = function () { state.customer = this.value; poll(true); };
  $('lang').onclick = function () { lang = lang === 'en' ? 'ru' : 'en'; localStorage.setItem('sandboxPhoneLang', lang); applyLang(); };
  $('block').onclick = function () { customerAction(state.convo && state.convo.customer.blocked ? 'unblock' : 'block'); };
  $('marketing').onclick = function () { customerAction(state.convo && state.convo.customer.marketingStopped ? 'resume-marketing' : 'stop-marketing'); };
  $('report').onclick = function () { customerAction('report'); };
  applyLang();
  load();
  setInterval(function () { poll(false); }, 1500);
})();
</script>
</body>
</html>
`;
