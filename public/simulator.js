// Keeps the WhatsApp simulator chat up to date: polls /simulator/messages every 2 s while the page is visible.
// A separate file, not an inline script, so the page runs under a Content-Security-Policy without 'unsafe-inline'.
// Builds the same markup as views/partials/simulator-message.ejs, always with textContent (never innerHTML).
(function () {
  'use strict';
  var POLL_MS = 2000;
  var chat = document.getElementById('chat');

  // Gloved double taps must not answer twice: a form is sent once, then its buttons rest until the page reloads.
  document.addEventListener('submit', function (event) {
    var buttons = event.target.querySelectorAll('button');
    setTimeout(function () {
      buttons.forEach(function (b) {
        b.disabled = true;
      });
    }, 0);
  });

  // Back/forward cache: a page shown again must not keep its buttons disabled.
  window.addEventListener('pageshow', function () {
    document.querySelectorAll('button:disabled').forEach(function (b) {
      b.disabled = false;
    });
  });

  if (!chat) return;
  var src = chat.getAttribute('data-src');
  // Whose chat: an operator's phone number, or a username written without a number.
  var chatName = chat.getAttribute('data-chat-field');
  var chatValue = chat.getAttribute('data-chat-value');
  var signature = null; // null: redraw once, so times show in the browser's time zone

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function hidden(name, value) {
    var input = el('input');
    input.type = 'hidden';
    input.name = name;
    input.value = value;
    return input;
  }

  // A tap on a reply button or a list row: a form that posts it (with this chat's phone or username)
  // to /simulator/button.
  function tapForm(fields, button) {
    var form = el('form');
    form.method = 'post';
    form.action = '/simulator/button';
    form.appendChild(hidden(chatName, chatValue));
    Object.keys(fields).forEach(function (name) {
      form.appendChild(hidden(name, fields[name]));
    });
    button.type = 'submit';
    form.appendChild(button);
    return form;
  }

  function clock(iso) {
    return new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  }

  function message(item) {
    var li = el('li', 'msg ' + (item.direction === 'in' ? 'msg--operator' : 'msg--server'));
    li.setAttribute('data-key', item.key);
    var bubble = el('div', 'bubble bubble--' + item.kind);
    if (item.kind === 'photo' && item.mediaId) {
      var img = el('img', 'bubble-photo');
      img.src = '/simulator/media/' + encodeURIComponent(item.mediaId);
      img.alt = 'Photo you sent';
      img.width = 240;
      img.height = 180;
      bubble.appendChild(img);
    }
    if (item.kind === 'button') bubble.appendChild(el('span', 'bubble-label', 'Tapped'));
    if (item.text) bubble.appendChild(el('p', 'bubble-text', item.text));
    else if (item.kind === 'photo')
      bubble.appendChild(el('p', 'bubble-text bubble-text--muted', 'Photo without caption'));
    var time = el('time', 'bubble-time', clock(item.at));
    time.setAttribute('datetime', item.at);
    bubble.appendChild(time);
    li.appendChild(bubble);
    if (item.buttons.length > 0) {
      var row = el('div', 'reply-buttons');
      item.buttons.forEach(function (b) {
        row.appendChild(
          tapForm({ id: b.id, title: b.title, kind: b.kind, context: item.key }, el('button', 'reply-button', b.title)),
        );
      });
      li.appendChild(row);
    }
    if (item.list) li.appendChild(listMenu(item));
    return li;
  }

  // A list message: its button opens the rows (WhatsApp shows a sheet); a tap sends the row as list_reply.
  function listMenu(item) {
    var details = el('details', 'list-menu');
    details.appendChild(el('summary', 'reply-button list-open', '☰ ' + item.list.button));
    item.list.sections.forEach(function (section) {
      details.appendChild(el('p', 'list-section', section.title));
      section.rows.forEach(function (r) {
        var button = el('button', 'list-row');
        button.appendChild(el('span', 'list-row-title', r.title));
        button.appendChild(el('span', 'list-row-description', r.description));
        details.appendChild(
          tapForm({ id: r.id, title: r.title, description: r.description, kind: 'row', context: item.key }, button),
        );
      });
    });
    return details;
  }

  function render(items) {
    var atBottom = chat.scrollHeight - chat.scrollTop - chat.clientHeight < 80;
    var fragment = document.createDocumentFragment();
    if (items.length === 0)
      fragment.appendChild(
        el('li', 'chat-empty', 'No messages yet. Assign a checklist below and Question 1 arrives here.'),
      );
    items.forEach(function (item) {
      fragment.appendChild(message(item));
    });
    chat.replaceChildren(fragment);
    if (atBottom || signature === null) chat.scrollTop = chat.scrollHeight;
  }

  function poll() {
    if (document.hidden) return;
    fetch(src, { headers: { accept: 'application/json' }, cache: 'no-store' })
      .then(function (res) {
        return res.ok ? res.json() : null;
      })
      .then(function (data) {
        if (!data) return;
        var hint = document.getElementById('answer-hint');
        if (hint && typeof data.hint === 'string' && hint.textContent !== data.hint) hint.textContent = data.hint;
        var items = data.messages;
        var last = items[items.length - 1];
        var next = items.length + ':' + (last ? last.key : '');
        if (next === signature) return;
        render(items);
        signature = next;
      })
      .catch(function () {
        /* the server restarts in development; the next poll tries again */
      });
  }

  chat.scrollTop = chat.scrollHeight;
  var composer = document.getElementById('composer');
  if (composer) composer.scrollIntoView({ block: 'end' });
  poll();
  setInterval(poll, POLL_MS);
  document.addEventListener('visibilitychange', poll);
})();
