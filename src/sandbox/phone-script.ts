// The phone view's script, served as /_sandbox/phone.js (never inline: the page's
// Content-Security-Policy allows only scripts from the sandbox itself). It talks only to the
// control API (/_sandbox/...), in English or Russian.

export const PHONE_JS = `(function () {
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
  // Status marks drawn as SVG (one check sent, two delivered, two blue read): check-mark glyphs
  // need a font that a server may not have.
  var CHECKS = { sent: ['M1 6l3 3 6-7'], delivered: ['M1 6l3 3 6-7', 'M6.5 6.5l2.5 2.5 6-7'] };
  CHECKS.read = CHECKS.delivered;
  function ticks(status) {
    var span = el('span', 'ticks ' + status);
    span.title = status;
    span.setAttribute('aria-label', status);
    var paths = CHECKS[status];
    if (!paths) { span.textContent = status === 'failed' ? '!' : status === 'accepted' ? '...' : status; return span; }
    var svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    svg.setAttribute('viewBox', '0 0 17 11');
    svg.setAttribute('aria-hidden', 'true');
    paths.forEach(function (d) {
      var p = document.createElementNS('http://www.w3.org/2000/svg', 'path');
      p.setAttribute('d', d); p.setAttribute('fill', 'none'); p.setAttribute('stroke', 'currentColor');
      p.setAttribute('stroke-width', '1.6'); p.setAttribute('stroke-linecap', 'round'); p.setAttribute('stroke-linejoin', 'round');
      svg.appendChild(p);
    });
    span.appendChild(svg);
    return span;
  }
  function bubble(item) {
    var b = el('div', 'msg ' + item.direction);
    b.appendChild(document.createTextNode(item.text || '[' + item.type + ']'));
    var time = el('span', 'time', new Date(item.at).toLocaleTimeString());
    if (item.status) time.appendChild(ticks(item.status));
    b.appendChild(time);
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
`;
