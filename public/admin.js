// The manager pages' only script (no inline scripts: the Content-Security-Policy forbids them).
// - The progress page refreshes its live part every 3 s while the conversation runs.
// - Times are shown in the browser's time zone.
// - Forms with data-confirm ask first; a sent form's buttons rest so a double tap does not send twice.
// - The report's Print button.
// - The checklist editor shows the settings of the chosen answer type only.
// - The schedule form's day quick picks and its Add another time / Remove buttons.
(function () {
  'use strict';
  var POLL_MS = 3000;
  var timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  // A due day is a calendar day: read and written in UTC so no time zone moves it to the day before.
  var dayFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });

  function localTimes(root) {
    root.querySelectorAll('time[data-local]').forEach(function (el) {
      var d = new Date(el.getAttribute('datetime'));
      if (!isNaN(d.getTime())) el.textContent = timeFormat.format(d);
    });
    root.querySelectorAll('time[data-local-date]').forEach(function (el) {
      var d = new Date(el.getAttribute('datetime') + 'T00:00:00Z');
      if (!isNaN(d.getTime())) el.textContent = dayFormat.format(d);
    });
  }

  document.addEventListener('submit', function (event) {
    var form = event.target;
    var question = form.getAttribute('data-confirm');
    if (question && !window.confirm(question)) {
      event.preventDefault();
      return;
    }
    var buttons = form.querySelectorAll('button:not(:disabled)');
    setTimeout(function () {
      buttons.forEach(function (b) {
        b.disabled = true;
        b.setAttribute('data-sent', '');
      });
    }, 0);
  });

  // Back/forward cache: a page shown again must not keep its buttons disabled.
  window.addEventListener('pageshow', function (event) {
    if (!event.persisted) return;
    document.querySelectorAll('button[data-sent]').forEach(function (b) {
      b.disabled = false;
      b.removeAttribute('data-sent');
    });
  });

  document.querySelectorAll('.js-print').forEach(function (button) {
    button.hidden = false;
    button.addEventListener('click', function () {
      window.print();
    });
  });

  // The checklist editor: each task form shows only its chosen answer type's settings (all show without script).
  document.querySelectorAll('select.js-task-type').forEach(function (select) {
    var form = select.form;
    function showChosen() {
      form.querySelectorAll('.type-settings[data-type]').forEach(function (box) {
        box.hidden = box.getAttribute('data-type') !== select.value;
      });
    }
    select.addEventListener('change', showChosen);
    showChosen();
  });

  // The schedule form: quick picks for the days and more start-time rows (one time works without script).
  document.querySelectorAll('.schedule-form').forEach(function (form) {
    form.querySelectorAll('.js-only').forEach(function (el) {
      el.hidden = false;
    });
    form.querySelectorAll('[data-days]').forEach(function (button) {
      button.addEventListener('click', function () {
        var days = button.getAttribute('data-days').split(',');
        form.querySelectorAll('input[name="days"]').forEach(function (box) {
          box.checked = days.indexOf(box.value) >= 0;
        });
      });
    });
    var rows = form.querySelector('#time-rows');
    var template = form.querySelector('#time-row-template');
    var added = 0;
    form.addEventListener('click', function (event) {
      var target = event.target;
      if (!(target instanceof HTMLElement)) return;
      if (target.classList.contains('js-remove-time')) {
        var row = target.closest('.time-row');
        // The last row stays, emptied: the form always has a place for a time.
        if (rows.querySelectorAll('.time-row').length > 1) row.remove();
        else row.querySelector('input').value = '';
      } else if (target.classList.contains('js-add-time')) {
        var copy = template.content.firstElementChild.cloneNode(true);
        var input = copy.querySelector('input');
        input.id = 'time-added-' + ++added;
        copy.querySelector('label').setAttribute('for', input.id);
        rows.appendChild(copy);
        input.focus();
      }
    });
  });

  localTimes(document);

  var live = document.querySelector('[data-live-src]');
  if (!live) return;
  var src = live.getAttribute('data-live-src');
  var timer = null;
  var busy = false;

  function active() {
    return live.getAttribute('data-active') === 'true';
  }

  function schedule() {
    clearTimeout(timer);
    if (active() && !document.hidden) timer = setTimeout(refresh, POLL_MS);
  }

  function refresh() {
    if (busy) return;
    busy = true;
    fetch(src, { credentials: 'same-origin', cache: 'no-store', headers: { Accept: 'text/html' } })
      .then(function (res) {
        var state = res.headers.get('X-Live-Active');
        if (res.redirected || !res.ok || state === null) {
          // Signed out, or the assignment is gone: a full reload shows why.
          live.setAttribute('data-active', 'false');
          window.location.reload();
          return;
        }
        return res.text().then(function (html) {
          live.innerHTML = html;
          live.setAttribute('data-active', state);
          localTimes(live);
        });
      })
      .catch(function () {
        /* offline for a moment: try again on the next tick */
      })
      .then(function () {
        busy = false;
        schedule();
      });
  }

  document.addEventListener('visibilitychange', function () {
    if (!document.hidden && active()) refresh();
  });
  schedule();
})();
