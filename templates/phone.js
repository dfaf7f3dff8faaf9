/* The phone page, live: sends post-its without reloading, keeps "your post-its" on this phone,
 * follows the board through server-sent events (or polls every 5 s without them), dot voting,
 * the phone's own row of step 2's grid, shown while the facilitator collects it, and its own
 * review of the draft principles (step 4), shown while the facilitator has the review open,
 * and the facilitator's countdown, counted down here from the seconds left the laptop sends.
 * Plain ES5 for old phones: no modules, no build step, no fetch. The page works without it. */
(function () {
  'use strict';

  var body = document.body;
  var token = body && body.getAttribute('data-token');
  if (!token || !window.XMLHttpRequest || !window.JSON || !document.querySelector ||
      !document.addEventListener) {
    return;
  }

  var api = '/api/j/' + token;
  var maxChars = parseInt(body.getAttribute('data-max'), 10) || 280;
  var storageKey = 'workshopkit:mine:' + token;
  var memoryList = null;
  var POLL_MS = 5000;

  var form = document.getElementById('postit-form');
  var textArea = document.getElementById('text');
  var countEl = document.getElementById('count');
  var counterEl = document.getElementById('text-count');
  var sendButton = document.getElementById('send');
  var formError = document.getElementById('form-error');
  var liveNotice = document.getElementById('live-notice');
  var closedNotice = document.getElementById('closed-notice');
  var mineList = document.getElementById('mine-list');
  var mineEmpty = document.getElementById('mine-empty');
  var votingSection = document.getElementById('voting');
  var votesLeftEl = document.getElementById('votes-left');
  var voteNotice = document.getElementById('vote-notice');
  var boardColumns = document.getElementById('board-columns');
  var valuesSection = document.getElementById('values');
  var valuesForm = document.getElementById('values-form');
  var valuesError = document.getElementById('values-error');
  var valuesNotice = document.getElementById('values-notice');
  var valuesClosed = document.getElementById('values-closed');
  var valuesSend = document.getElementById('values-send');
  var valuesName = document.getElementById('values-name');
  var valuesOrganisation = document.getElementById('values-organisation');
  var answerMax = parseInt(valuesForm.getAttribute('data-max'), 10) || 280;
  var QUESTIONS = ['budget', 'time', 'priority'];
  var VALUES_SAVED = 'Saved. Your answers are in the grid.';
  var VALUES_CLOSED = 'The facilitator has closed step 2 for phones. Answers you saved stay ' +
    'in the grid.';
  var reviewSection = document.getElementById('review');
  var reviewList = document.getElementById('review-list');
  var reviewEmpty = document.getElementById('review-empty');
  var reviewClosed = document.getElementById('review-closed');
  var reviewMax = parseInt(reviewList.getAttribute('data-max'), 10) || 280;
  var REVIEW_SAVED = 'Thanks: your review is in. You can change it while the review is open.';
  var REVIEW_CLOSED = 'The facilitator has closed the review of the draft principles. ' +
    'Reviews you sent are kept.';
  var NEED_COMMENT = 'Write a short comment saying what you would change, then tap Suggest ' +
    'a change.';
  var VERDICT_LABELS = { agree: 'Agree', change: 'Suggest a change' };
  var timerSection = document.getElementById('timer');
  var timerHeading = document.getElementById('timer-heading');
  var timerTime = document.getElementById('timer-time');
  var timerHint = document.getElementById('timer-hint');
  var timerAnnounce = document.getElementById('timer-announce');
  var TIME_UP = 'Time\'s up';
  var TIMER_TICK_MS = 250;

  var STATUS_LABELS = {
    visible: 'On the board',
    pending: 'Awaiting approval',
    held: 'Collected: shown when the facilitator reveals them all',
    hidden: 'Not shown on the board',
    removed: 'Removed by the facilitator'
  };
  var SENT_MESSAGES = {
    visible: 'Sent. Your post-it is on the board.',
    pending: 'Sent. Your post-it will appear once the facilitator approves it.',
    held: 'Sent. The facilitator will reveal all post-its together.'
  };

  var state = null;
  var sending = false;
  var refreshTimer = null;
  var pollTimer = null;
  var source = null;
  var gone = false;
  var valuesSending = false;
  var valuesTouched = false;
  var valuesOrganisationIds = null;
  var reviewShownKey = null;   // what the review list shows now, to re-render only on change
  var reviewTyped = {};        // principle id -> comment typed but not sent yet
  var reviewSending = {};
  var timerEnds = null;        // when the countdown ends, by this page's own clock (see clockNow)
  var timerLabel = '';
  var timerShown = null;       // the seconds left the page shows now
  var timerTicker = null;

  // ------------------------------------------------------------------ storage

  function loadMine() {
    try {
      var raw = window.localStorage.getItem(storageKey);
      return raw ? JSON.parse(raw) : [];
    } catch (e) {
      return memoryList || [];
    }
  }

  function saveMine(list) {
    list = list.slice(-100);
    memoryList = list;
    try {
      window.localStorage.setItem(storageKey, JSON.stringify(list));
    } catch (e) { /* private mode: kept in memory for this visit */ }
  }

  function findMine(list, id) {
    for (var i = 0; i < list.length; i++) {
      if (list[i].id === id) { return list[i]; }
    }
    return null;
  }

  function adoptServerList() {
    // Post-its sent earlier without JavaScript are listed by the server: keep them too.
    var list = loadMine();
    var items = mineList ? mineList.querySelectorAll('li[data-id]') : [];
    var changed = false;
    for (var i = items.length - 1; i >= 0; i--) {
      var id = parseInt(items[i].getAttribute('data-id'), 10);
      if (id && !findMine(list, id)) {
        list.push({ id: id, text: '' });
        changed = true;
      }
    }
    if (changed) { saveMine(list); }
  }

  // ------------------------------------------------------------------ helpers

  function request(method, url, data, done) {
    var xhr = new XMLHttpRequest();
    xhr.open(method, url, true);
    xhr.setRequestHeader('Accept', 'application/json');
    if (data) { xhr.setRequestHeader('Content-Type', 'application/json'); }
    xhr.onreadystatechange = function () {
      if (xhr.readyState !== 4) { return; }
      var json = null;
      try { json = JSON.parse(xhr.responseText); } catch (e) { json = null; }
      done(xhr.status, json || {});
    };
    xhr.send(data ? JSON.stringify(data) : null);
  }

  function charCount(text) {
    // Characters as the server counts them (an emoji is one, not two).
    return text.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, '_').length;
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function clear(node) {
    while (node.firstChild) { node.removeChild(node.firstChild); }
  }

  function say(message, region) {
    var target = region || liveNotice;
    target.textContent = '';
    // A fresh text node makes screen readers announce the same message twice in a row.
    window.setTimeout(function () { target.textContent = message; }, 50);
  }

  function showError(message) {
    if (!message) {
      formError.textContent = '';
      formError.hidden = true;
      textArea.removeAttribute('aria-invalid');
      return;
    }
    formError.textContent = message;
    formError.hidden = false;
    textArea.setAttribute('aria-invalid', 'true');
  }

  function chosenColumn() {
    var fixed = form.querySelector('input[type="hidden"][name="column"]');
    if (fixed) { return fixed.value; }
    var checked = form.querySelector('input[name="column"]:checked');
    return checked ? checked.value : '';
  }

  function updateCounter() {
    var n = charCount(textArea.value);
    countEl.textContent = String(n);
    counterEl.className = n > maxChars ? 'counter over' : 'counter';
  }

  // ------------------------------------------------------------------ sending

  function onSubmit(event) {
    event.preventDefault();
    if (sending) { return; }
    var text = textArea.value.replace(/^\s+|\s+$/g, '');
    var column = chosenColumn();
    if (!column) {
      showError('Choose a column for your post-it.');
      var first = form.querySelector('input[name="column"]');
      if (first) { first.focus(); }
      return;
    }
    if (!text) {
      showError('Write something on your post-it first.');
      textArea.focus();
      return;
    }
    if (charCount(text) > maxChars) {
      showError('Your post-it is ' + charCount(text) + ' characters long; the limit is ' +
                maxChars + '. Shorten it and try again.');
      textArea.focus();
      return;
    }
    sending = true;
    sendButton.disabled = true;
    sendButton.textContent = 'Sending…';
    request('POST', api + '/postits', {
      text: text,
      column: column,
      name: document.getElementById('name').value,
      organisation: document.getElementById('organisation').value
    }, function (status, json) {
      sending = false;
      sendButton.disabled = false;
      sendButton.textContent = 'Send post-it';
      if (status === 201) {
        var list = loadMine();
        list.push({ id: json.id, text: text, column: column, status: json.detail || json.status });
        saveMine(list);
        textArea.value = '';
        updateCounter();
        showError('');
        say(SENT_MESSAGES[json.detail || json.status] || 'Sent.');
        renderMine();
        refresh();
      } else if (status === 0) {
        showError('Could not reach the facilitator\u2019s laptop. Check this phone is on the ' +
                  'same Wi-Fi, then try again. Your text is still here.');
      } else {
        showError(json.error || 'Your post-it could not be sent. Try again in a moment.');
        if (status === 403 || status === 404) { handleGone(status, json.error); }
      }
    });
  }

  // ------------------------------------------------------------------ rendering

  function statusOf(id) {
    if (!state || !state.mine) { return null; }
    for (var i = 0; i < state.mine.length; i++) {
      if (state.mine[i].id === id) { return state.mine[i].status; }
    }
    return null;
  }

  function visibleText(id) {
    if (!state) { return ''; }
    for (var i = 0; i < state.revealed.length; i++) {
      if (state.revealed[i].id === id) { return state.revealed[i].text; }
    }
    return '';
  }

  function renderMine() {
    var list = loadMine();
    clear(mineList);
    for (var i = list.length - 1; i >= 0; i--) {
      var item = list[i];
      var status = statusOf(item.id) || item.status || 'pending';
      var text = item.text || visibleText(item.id) ||
        'Post-it ' + item.id + ' (its text shows here once it is on the board)';
      var li = el('li', 'postit');
      li.setAttribute('data-id', String(item.id));
      li.setAttribute('data-status', status);
      var p = el('p', 'text', text);
      p.setAttribute('dir', 'auto');
      li.appendChild(p);
      li.appendChild(el('p', 'status status-' + status, STATUS_LABELS[status] || status));
      mineList.appendChild(li);
    }
    mineEmpty.hidden = list.length > 0;
  }

  function renderVoting() {
    var voting = state.voting;
    votingSection.hidden = !voting.open;
    if (!voting.open) { return; }
    clear(votesLeftEl);
    votesLeftEl.appendChild(document.createTextNode('You have '));
    votesLeftEl.appendChild(el('strong', null, voting.left));
    votesLeftEl.appendChild(document.createTextNode(
      ' of ' + voting.budget + ' votes left. Vote for post-its on the board below; you can ' +
      'give one post-it more than one vote.'));
  }

  function renderBoard() {
    var voting = state.voting;
    clear(boardColumns);
    for (var c = 0; c < state.columns.length; c++) {
      var column = state.columns[c];
      boardColumns.appendChild(el('h3', null, column.heading));
      var items = [];
      for (var i = 0; i < state.revealed.length; i++) {
        if (state.revealed[i].column === column.id) { items.push(state.revealed[i]); }
      }
      if (!items.length) {
        boardColumns.appendChild(el('p', 'empty', 'Nothing here on the board yet.'));
        continue;
      }
      var ul = el('ul', 'postits');
      for (var j = 0; j < items.length; j++) {
        ul.appendChild(renderPostit(items[j], voting));
      }
      boardColumns.appendChild(ul);
    }
  }

  function renderPostit(postit, voting) {
    var li = el('li', 'postit');
    li.setAttribute('data-id', String(postit.id));
    var textId = 'postit-' + postit.id;
    var p = el('p', 'text', postit.text);
    p.id = textId;
    p.setAttribute('dir', 'auto');
    li.appendChild(p);
    if (state.tallies_shown && postit.votes !== undefined) {
      li.appendChild(el('p', 'tally', postit.votes + (postit.votes === 1 ? ' vote' : ' votes')));
    }
    if (voting.open) {
      var mine = voting.mine[String(postit.id)] || 0;
      var row = el('div', 'vote-form');
      var vote = el('button', null, 'Vote');
      vote.type = 'button';
      vote.setAttribute('data-vote', String(postit.id));
      vote.setAttribute('aria-describedby', textId);
      vote.disabled = voting.left <= 0;
      row.appendChild(vote);
      if (mine > 0) {
        var back = el('button', 'secondary', 'Take back a vote');
        back.type = 'button';
        back.setAttribute('data-withdraw', String(postit.id));
        back.setAttribute('aria-describedby', textId);
        row.appendChild(back);
        row.appendChild(el('span', 'my-votes', 'Your votes: ' + mine));
      }
      li.appendChild(row);
    }
    return li;
  }

  function render() {
    renderTimer();
    renderMine();
    renderVoting();
    renderBoard();
    renderValues();
    renderReview();
  }

  // ------------------------------------------------------------------ voting

  function onBoardClick(event) {
    var target = event.target;
    while (target && target !== boardColumns && !target.getAttribute('data-vote') &&
           !target.getAttribute('data-withdraw')) {
      target = target.parentNode;
    }
    if (!target || target === boardColumns) { return; }
    var castId = target.getAttribute('data-vote');
    var backId = target.getAttribute('data-withdraw');
    var id = parseInt(castId || backId, 10);
    target.disabled = true;
    request('POST', api + (castId ? '/votes' : '/votes/withdraw'), { postit_id: id },
      function (status, json) {
        if (status === 200 || status === 201) {
          say(castId ? 'Your vote is in. Votes left: ' + json.left + '.'
                     : 'Your vote is taken back. Votes left: ' + json.left + '.', voteNotice);
        } else {
          say(json.error || 'That vote did not go through. Try again in a moment.', voteNotice);
        }
        refresh();
      });
  }

  // ------------------------------------------------------------------ own answers (step 2)

  function answerBox(key) { return document.getElementById('answer-' + key); }

  function updateAnswerCounter(key) {
    var box = answerBox(key);
    var counter = document.getElementById('answer-' + key + '-count');
    var n = charCount(box.value);
    counter.querySelector('.count').textContent = String(n);
    counter.className = n > answerMax ? 'counter over' : 'counter';
  }

  function valuesFields() {
    var fields = [valuesName, valuesOrganisation];
    for (var i = 0; i < QUESTIONS.length; i++) { fields.push(answerBox(QUESTIONS[i])); }
    return fields;
  }

  function fieldFor(key) {
    if (key === 'name') { return valuesName; }
    if (key === 'organisation') { return valuesOrganisation; }
    return answerBox(key);
  }

  function showValuesError(message, key) {
    var fields = valuesFields();
    for (var i = 0; i < fields.length; i++) {
      fields[i].removeAttribute('aria-invalid');
      var described = (fields[i].getAttribute('aria-describedby') || '')
        .replace(/\s*values-error/g, '').replace(/^\s+|\s+$/g, '');
      if (described) {
        fields[i].setAttribute('aria-describedby', described);
      } else {
        fields[i].removeAttribute('aria-describedby');
      }
    }
    if (!message) {
      valuesError.textContent = '';
      valuesError.hidden = true;
      return;
    }
    valuesError.textContent = message;
    valuesError.hidden = false;
    var field = key ? fieldFor(key) : null;
    if (field) {
      field.setAttribute('aria-invalid', 'true');
      var before = field.getAttribute('aria-describedby');
      field.setAttribute('aria-describedby', (before ? before + ' ' : '') + 'values-error');
      field.focus();
    }
  }

  function syncOrganisations(organisations) {
    // The facilitator may add or rename organisations while the form is open.
    var key = JSON.stringify(organisations);
    if (key === valuesOrganisationIds) { return; }
    valuesOrganisationIds = key;
    var chosen = valuesOrganisation.value;
    var notListed = valuesOrganisation.options[valuesOrganisation.options.length - 1];
    while (valuesOrganisation.options.length > 2) { valuesOrganisation.remove(1); }
    for (var i = 0; i < organisations.length; i++) {
      var option = el('option', null, organisations[i].name);
      option.value = String(organisations[i].id);
      valuesOrganisation.insertBefore(option, notListed);
    }
    valuesOrganisation.value = chosen;
    if (valuesOrganisation.value !== chosen) { valuesOrganisation.value = ''; }
  }

  function fillValues(row) {
    if (!row || !row.saved || valuesTouched) { return; }
    valuesName.value = row.name;
    valuesOrganisation.value = row.organisation === null ? 'none' : String(row.organisation);
    for (var i = 0; i < QUESTIONS.length; i++) {
      answerBox(QUESTIONS[i]).value = row.answers[QUESTIONS[i]] || '';
      updateAnswerCounter(QUESTIONS[i]);
    }
    valuesSend.textContent = 'Save my changes';
  }

  function loadOwnRow() {
    request('GET', api + '/values', null, function (status, json) {
      if (status === 200) { fillValues(json); }
    });
  }

  function renderValues() {
    var values = state.values || { open: false, organisations: [] };
    if (values.open) { syncOrganisations(values.organisations); }
    var shown = !valuesSection.hidden;
    if (values.open && !shown) {
      valuesSection.hidden = false;
      valuesClosed.hidden = true;
      valuesClosed.textContent = '';
      showValuesError('');
      loadOwnRow();
    } else if (!values.open && shown) {
      valuesSection.hidden = true;
      valuesClosed.textContent = VALUES_CLOSED;
      valuesClosed.hidden = false;
    }
  }

  function onValuesSubmit(event) {
    event.preventDefault();
    if (valuesSending) { return; }
    var name = valuesName.value.replace(/^\s+|\s+$/g, '');
    if (!name) {
      showValuesError('Your name cannot be empty.', 'name');
      return;
    }
    var organisation = valuesOrganisation.value;
    if (!organisation) {
      showValuesError('Choose your organisation, or Not listed if it is not there.',
                      'organisation');
      return;
    }
    var data = {
      name: name,
      organisation: organisation === 'none' ? null : parseInt(organisation, 10)
    };
    var any = false;
    for (var i = 0; i < QUESTIONS.length; i++) {
      var key = QUESTIONS[i];
      var text = answerBox(key).value.replace(/^\s+|\s+$/g, '');
      if (charCount(text) > answerMax) {
        showValuesError('That answer is ' + charCount(text) + ' characters long; the limit ' +
                        'is ' + answerMax + '. Shorten it and try again.', key);
        return;
      }
      data[key] = text;
      any = any || text !== '';
    }
    if (!any) {
      showValuesError('Answer at least one of the three questions.', 'budget');
      return;
    }
    valuesSending = true;
    valuesSend.disabled = true;
    var label = valuesSend.textContent;
    valuesSend.textContent = 'Sending…';
    request('POST', api + '/values', data, function (status, json) {
      valuesSending = false;
      valuesSend.disabled = false;
      valuesSend.textContent = label;
      if (status === 200 || status === 201) {
        showValuesError('');
        valuesTouched = false;
        valuesSend.textContent = 'Save my changes';
        say(json.message || VALUES_SAVED, valuesNotice);
      } else if (status === 0) {
        showValuesError('Could not reach the facilitator\u2019s laptop. Check this phone is on ' +
                        'the same Wi-Fi, then try again. Your answers are still here.');
      } else {
        showValuesError(json.error || 'Your answers could not be saved. Try again in a moment.',
                        json.field);
        if (status === 403 || status === 404) { handleGone(status, json.error); }
        if (status === 409) { refresh(); }
      }
    });
  }

  function onValuesInput(event) {
    valuesTouched = true;
    var id = event.target && event.target.id;
    if (id && id.indexOf('answer-') === 0) { updateAnswerCounter(id.substring(7)); }
  }

  // ------------------------------------------------------------------ review (step 4)

  function myReview(id) {
    var mine = (state && state.my_reviews) || {};
    return mine[String(id)] || null;
  }

  function reviewKeyOf(principles) {
    var parts = [];
    for (var i = 0; i < principles.length; i++) {
      var p = principles[i];
      var mine = myReview(p.id) || { verdict: '', comment: '' };
      parts.push([p.id, p.number, p.lead, p.body, mine.verdict, mine.comment]);
    }
    return JSON.stringify(parts);
  }

  function reviewButtons(id) {
    var item = document.getElementById('principle-' + id);
    return item ? item.querySelectorAll('button[data-verdict]') : [];
  }

  function updateReviewCounter(id) {
    var box = document.getElementById('comment-' + id);
    var counter = document.getElementById('comment-' + id + '-count');
    if (!box || !counter) { return; }
    var n = charCount(box.value);
    counter.querySelector('.count').textContent = String(n);
    counter.className = n > reviewMax ? 'counter over' : 'counter';
  }

  function showReviewError(id, message) {
    var box = document.getElementById('comment-' + id);
    var error = document.getElementById('review-' + id + '-error');
    if (!box || !error) { return; }
    var described = 'comment-' + id + '-count';
    if (!message) {
      error.textContent = '';
      error.hidden = true;
      box.removeAttribute('aria-invalid');
      box.setAttribute('aria-describedby', described);
      return;
    }
    error.textContent = message;
    error.hidden = false;
    box.setAttribute('aria-invalid', 'true');
    box.setAttribute('aria-describedby', described + ' review-' + id + '-error');
    box.focus();
  }

  function showMyReview(id) {
    var mine = myReview(id);
    var line = document.getElementById('review-' + id + '-mine');
    var item = document.getElementById('principle-' + id);
    if (!line || !item) { return; }
    clear(line);
    item.setAttribute('data-mine', mine ? mine.verdict : '');
    line.hidden = !mine;
    if (mine) {
      line.appendChild(document.createTextNode('Your review: '));
      line.appendChild(el('strong', null, VERDICT_LABELS[mine.verdict] || mine.verdict));
    }
  }

  function renderPrinciple(principle) {
    var id = principle.id;
    var lead = 'principle-' + id + '-lead';
    var li = el('li', 'principle');
    li.id = 'principle-' + id;
    li.setAttribute('data-id', String(id));
    var heading = el('h3', 'lead');
    heading.id = lead;
    heading.setAttribute('dir', 'auto');
    heading.appendChild(el('span', 'number', principle.number + '.'));
    heading.appendChild(document.createTextNode(' ' + principle.lead));
    li.appendChild(heading);
    if (principle.body) {
      var body = el('p', 'body', principle.body);
      body.setAttribute('dir', 'auto');
      li.appendChild(body);
    }
    var line = el('p', 'my-review');
    line.id = 'review-' + id + '-mine';
    li.appendChild(line);
    var error = el('div', 'error-summary');
    error.id = 'review-' + id + '-error';
    error.setAttribute('role', 'alert');
    error.hidden = true;
    li.appendChild(error);

    var form = el('form', 'review-form');
    form.method = 'post';
    form.action = '/j/' + token + '/reviews';
    var hidden = el('input');
    hidden.type = 'hidden';
    hidden.name = 'principle_id';
    hidden.value = String(id);
    form.appendChild(hidden);
    form.appendChild(verdictButton(id, 'agree', lead));
    var label = el('label', 'field-label', 'Your comment (needed to suggest a change)');
    label.htmlFor = 'comment-' + id;
    form.appendChild(label);
    var box = el('textarea');
    box.id = 'comment-' + id;
    box.name = 'comment';
    box.rows = 3;
    box.maxLength = reviewMax;
    box.setAttribute('dir', 'auto');
    box.setAttribute('aria-describedby', 'comment-' + id + '-count');
    var mine = myReview(id);
    box.value = reviewTyped.hasOwnProperty(String(id)) ? reviewTyped[String(id)]
      : (mine ? mine.comment : '');
    form.appendChild(box);
    var counter = el('p', 'counter');
    counter.id = 'comment-' + id + '-count';
    counter.appendChild(el('span', 'count', '0'));
    counter.appendChild(document.createTextNode('/' + reviewMax + ' characters'));
    form.appendChild(counter);
    form.appendChild(verdictButton(id, 'change', lead));
    li.appendChild(form);

    var notice = el('p', 'notice');
    notice.id = 'review-' + id + '-notice';
    notice.setAttribute('role', 'status');
    notice.setAttribute('aria-live', 'polite');
    li.appendChild(notice);
    return li;
  }

  function verdictButton(id, verdict, lead) {
    var button = el('button', verdict === 'change' ? 'secondary' : null, VERDICT_LABELS[verdict]);
    button.type = 'submit';
    button.name = 'verdict';
    button.value = verdict;
    button.setAttribute('data-verdict', verdict);
    button.setAttribute('aria-describedby', lead);
    button.disabled = !!reviewSending[String(id)];
    return button;
  }

  function renderReview() {
    var review = state.review || { open: false, principles: [] };
    var shown = !reviewSection.hidden;
    if (!review.open) {
      reviewShownKey = null;
      if (shown) {
        reviewSection.hidden = true;
        clear(reviewClosed);
        reviewClosed.appendChild(el('p', null, REVIEW_CLOSED));
        reviewClosed.hidden = false;
      }
      return;
    }
    if (!shown) {
      reviewSection.hidden = false;
      reviewClosed.hidden = true;
    }
    var key = reviewKeyOf(review.principles);
    if (key === reviewShownKey) { return; }
    reviewShownKey = key;
    // The draft changed (or this is the first look): draw it again, keeping what was typed
    // and where the keyboard was.
    var active = document.activeElement;
    var focusId = active && active.id && reviewList.contains(active) ? active.id : null;
    var focusVerdict = active && reviewList.contains(active) &&
      active.getAttribute('data-verdict');
    var focusItem = focusVerdict ? active.parentNode.parentNode.getAttribute('data-id') : null;
    var caret = focusId && active.tagName === 'TEXTAREA' ?
      [active.selectionStart, active.selectionEnd] : null;
    clear(reviewList);
    for (var i = 0; i < review.principles.length; i++) {
      var principle = review.principles[i];
      reviewList.appendChild(renderPrinciple(principle));
      showMyReview(principle.id);
      updateReviewCounter(principle.id);
    }
    reviewEmpty.hidden = review.principles.length > 0;
    var target = focusId ? document.getElementById(focusId) : null;
    if (!target && focusItem) {
      var item = document.getElementById('principle-' + focusItem);
      target = item && item.querySelector('button[data-verdict="' + focusVerdict + '"]');
    }
    if (target) {
      target.focus();
      if (caret && target.setSelectionRange) { target.setSelectionRange(caret[0], caret[1]); }
    }
  }

  function sendReview(id, verdict) {
    var key = String(id);
    var box = document.getElementById('comment-' + id);
    var comment = box.value.replace(/^\s+|\s+$/g, '');
    if (verdict === 'change' && !comment) {
      showReviewError(id, NEED_COMMENT);
      return;
    }
    if (charCount(comment) > reviewMax) {
      showReviewError(id, 'Your comment is ' + charCount(comment) + ' characters long; the ' +
                      'limit is ' + reviewMax + '. Shorten it and try again.');
      return;
    }
    if (reviewSending[key]) { return; }
    reviewSending[key] = true;
    var buttons = reviewButtons(id);
    for (var i = 0; i < buttons.length; i++) { buttons[i].disabled = true; }
    request('POST', api + '/reviews', { principle_id: id, verdict: verdict, comment: comment },
      function (status, json) {
        reviewSending[key] = false;
        var again = reviewButtons(id);
        for (var j = 0; j < again.length; j++) { again[j].disabled = false; }
        if (status === 200 || status === 201) {
          showReviewError(id, '');
          delete reviewTyped[key];
          if (state) {
            state.my_reviews = state.my_reviews || {};
            state.my_reviews[key] = { verdict: json.verdict, comment: json.comment };
            if (state.review && state.review.open) {
              reviewShownKey = reviewKeyOf(state.review.principles);
            }
          }
          var saved = document.getElementById('comment-' + id);
          if (saved) { saved.value = json.comment; }
          updateReviewCounter(id);
          showMyReview(id);
          var notice = document.getElementById('review-' + id + '-notice');
          if (notice) { say(json.message || REVIEW_SAVED, notice); }
        } else if (status === 0) {
          showReviewError(id, 'Could not reach the facilitator\u2019s laptop. Check this phone ' +
                          'is on the same Wi-Fi, then try again. Your comment is still here.');
        } else {
          showReviewError(id, json.error ||
                          'Your review could not be sent. Try again in a moment.');
          if (status === 403 || status === 404) { handleGone(status, json.error); }
          if (status === 409) { refresh(); }
        }
      });
  }

  function onReviewClick(event) {
    var target = event.target;
    while (target && target !== reviewList && !target.getAttribute('data-verdict')) {
      target = target.parentNode;
    }
    if (!target || target === reviewList) { return; }
    event.preventDefault();
    var item = target.parentNode.parentNode;
    sendReview(parseInt(item.getAttribute('data-id'), 10), target.getAttribute('data-verdict'));
  }

  function onReviewInput(event) {
    var id = event.target && event.target.id;
    if (!id || id.indexOf('comment-') !== 0) { return; }
    var key = id.substring(8);
    reviewTyped[key] = event.target.value;
    updateReviewCounter(key);
  }

  function onReviewSubmit(event) {
    event.preventDefault();  // the buttons send; nothing else may post the form
  }

  // ------------------------------------------------------------------ countdown

  function clockNow() {
    // Only differences are used, never the phone's time of day: a phone whose clock is wrong
    // still counts right. performance.now() does not jump when the clock is set.
    var perf = window.performance;
    return perf && perf.now ? perf.now() : new Date().getTime();
  }

  function timerLeft() {
    return Math.max(0, Math.ceil((timerEnds - clockNow()) / 1000 - 0.001));
  }

  function clockText(seconds) {
    var hours = Math.floor(seconds / 3600);
    var minutes = Math.floor((seconds % 3600) / 60);
    var secs = seconds % 60;
    var mm = hours ? (minutes < 10 ? '0' : '') + minutes : String(minutes);
    return (hours ? hours + ':' : '') + mm + ':' + (secs < 10 ? '0' : '') + secs;
  }

  function spokenLeft(seconds) {
    // "4 minutes 59 seconds left" rather than "4:59", which screen readers read in many ways.
    var parts = [];
    var units = [[3600, 'hour'], [60, 'minute'], [1, 'second']];
    for (var i = 0; i < units.length; i++) {
      var n = Math.floor(seconds / units[i][0]);
      seconds -= n * units[i][0];
      if (n) { parts.push(n + ' ' + units[i][1] + (n === 1 ? '' : 's')); }
    }
    return parts.join(' ') + ' left';
  }

  function announceTimer(message) {
    say((timerLabel || 'Timer') + ': ' + message, timerAnnounce);
  }

  function showTimer(left) {
    // The text changes every second; role="timer" is not announced, so screen readers are
    // told only when a timer starts, at each whole minute and when the time is up.
    var before = timerShown;
    timerShown = left;
    timerTime.textContent = left > 0 ? 'Time left: ' + clockText(left) : TIME_UP;
    if (left > 0) {
      timerSection.removeAttribute('data-state');
    } else {
      timerSection.setAttribute('data-state', 'up');
    }
    if (before === null) {
      if (left > 0) { announceTimer(spokenLeft(left)); }
    } else if (left === 0 && before > 0) {
      announceTimer(TIME_UP);
    } else if (left >= 60 && Math.ceil(left / 60) < Math.ceil(before / 60)) {
      announceTimer(spokenLeft(left));
    }
  }

  function onTimerTick() {
    var left = timerLeft();
    if (left !== timerShown) { showTimer(left); }
    if (left === 0 && timerTicker) {
      window.clearInterval(timerTicker);
      timerTicker = null;
    }
  }

  function renderTimer() {
    var timer = state.timer;
    if (!timer) {
      if (timerShown !== null && timerShown > 0) {
        say('The facilitator stopped the timer.', timerAnnounce);
      }
      timerShown = null;
      timerEnds = null;
      timerSection.hidden = true;
      if (timerTicker) {
        window.clearInterval(timerTicker);
        timerTicker = null;
      }
      return;
    }
    var label = timer.label || '';
    var counted = timerEnds === null ? null : timerLeft();
    // A new timer (not just the same one again): none ran, its label changed, or it has more
    // time left than this phone counted, so the facilitator restarted it.
    var fresh = counted === null || label !== timerLabel || timer.remaining > counted + 2 ||
      (counted === 0 && timer.remaining > 1);
    if (fresh) { timerShown = null; }
    timerLabel = label;
    // The laptop rounds up to whole seconds and the answer took a moment to arrive: the timer
    // ends no later than `latest`, and a little after `latest - 1 s`. Keep counting from the
    // end this phone already has while it fits, so the seconds never step back.
    var latest = clockNow() + timer.remaining * 1000;
    if (fresh || timerEnds > latest || timerEnds < latest - 1250) { timerEnds = latest; }
    timerHeading.textContent = label || 'Timer';
    timerSection.hidden = false;
    showTimer(timerLeft());
    if (!timerTicker && timerShown > 0) {
      timerTicker = window.setInterval(onTimerTick, TIMER_TICK_MS);
    }
  }

  // ------------------------------------------------------------------ keeping up to date

  function handleGone(status, message) {
    if (status === 404) {
      gone = true;
      stopListening();
      stopPolling();
      closedNotice.textContent = message ||
        'This join link no longer works. Scan the new QR code on the screen.';
    } else {
      closedNotice.textContent = message || 'Joining is closed for now.';
      stopListening();
      startPolling();
    }
    closedNotice.hidden = false;
    sendButton.disabled = true;
    valuesSend.disabled = true;
  }

  function refresh() {
    if (gone) { return; }
    var ids = [];
    var list = loadMine();
    for (var i = 0; i < list.length; i++) { ids.push(list[i].id); }
    request('GET', api + '/state?mine=' + ids.join(','), null, function (status, json) {
      if (status === 200) {
        state = json;
        if (!closedNotice.hidden) {
          closedNotice.hidden = true;
          sendButton.disabled = false;
          valuesSend.disabled = false;
          listen();
        }
        render();
      } else if (status === 403 || status === 404) {
        handleGone(status, json.error);
      }
    });
  }

  function scheduleRefresh() {
    if (refreshTimer) { return; }
    // A little random delay so a room full of phones doesn't ask at the same instant.
    refreshTimer = window.setTimeout(function () {
      refreshTimer = null;
      refresh();
    }, 200 + Math.floor(Math.random() * 600));
  }

  function startPolling() {
    if (!pollTimer) { pollTimer = window.setInterval(refresh, POLL_MS); }
  }

  function stopPolling() {
    if (pollTimer) {
      window.clearInterval(pollTimer);
      pollTimer = null;
    }
  }

  function stopListening() {
    if (source) {
      source.close();
      source = null;
    }
  }

  function listen() {
    if (!window.EventSource) {
      startPolling();
      return;
    }
    if (source) { return; }
    stopPolling();
    source = new window.EventSource(api + '/events');
    source.addEventListener('changed', scheduleRefresh);
    source.addEventListener('closed', function () {
      handleGone(403, null);
    });
    source.onerror = function () {
      if (source && source.readyState === 2) {
        source = null;
        startPolling();
      }
    };
  }

  // ------------------------------------------------------------------ start

  form.noValidate = true;  // our own messages, in the page, read out by screen readers
  form.addEventListener('submit', onSubmit);
  textArea.addEventListener('input', updateCounter);
  boardColumns.addEventListener('click', onBoardClick);
  valuesForm.noValidate = true;
  valuesForm.addEventListener('submit', onValuesSubmit);
  valuesForm.addEventListener('input', onValuesInput);
  valuesForm.addEventListener('change', onValuesInput);
  reviewList.addEventListener('click', onReviewClick);
  reviewList.addEventListener('input', onReviewInput);
  reviewList.addEventListener('submit', onReviewSubmit);
  updateCounter();
  for (var q = 0; q < QUESTIONS.length; q++) { updateAnswerCounter(QUESTIONS[q]); }
  var drawn = reviewList.querySelectorAll('li[data-id]');
  for (var r = 0; r < drawn.length; r++) { updateReviewCounter(drawn[r].getAttribute('data-id')); }
  adoptServerList();
  timerHint.hidden = true;  // the page counts down by itself
  document.addEventListener('visibilitychange', function () {
    // Back from the background (timers there are slowed down): ask the laptop again.
    if (!document.hidden) { refresh(); }
  });
  body.setAttribute('data-live', 'yes');
  refresh();
  listen();
}());
