/* PeerPress default theme: quick exit, the meeting finder's filters, and "happening
   now / next". Every page is complete without this script; it only enhances. */
(function () {
  "use strict";

  /* Quick exit: the button, or Shift pressed three times, blanks the page at once and
     replaces this page in the history with a neutral site. */
  var exit = document.getElementById("quick-exit");
  if (exit) {
    var leave = function (event) {
      if (event) { event.preventDefault(); }
      document.documentElement.style.display = "none";
      document.title = "";
      window.location.replace(exit.href);
    };
    exit.addEventListener("click", leave);
    var presses = [];
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Shift" || event.repeat) { return; }
      var now = Date.now();
      presses = presses.filter(function (t) { return now - t < 2000; });
      presses.push(now);
      if (presses.length >= 3) { leave(); }
    });
  }

  var DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
  var WEEKS = ["first", "second", "third", "fourth"];
  var cards = Array.prototype.slice.call(document.querySelectorAll(".meeting[data-day][data-start]"));

  /* The date, weekday and minutes since midnight of `instant` in `zone`. */
  function wallClock(instant, zone) {
    var parts = {};
    new Intl.DateTimeFormat("en-GB", {
      timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", hourCycle: "h23", weekday: "long"
    }).formatToParts(instant).forEach(function (p) { parts[p.type] = p.value; });
    return {
      date: Date.UTC(+parts.year, +parts.month - 1, +parts.day),
      weekday: DAYS.indexOf(parts.weekday.toLowerCase()),
      minutes: (+parts.hour) * 60 + (+parts.minute)
    };
  }
  function minutesOf(text) { var hm = text.split(":"); return (+hm[0]) * 60 + (+hm[1]); }
  function iso(utcDate) { return new Date(utcDate).toISOString().slice(0, 10); }
  var DAY_MS = 86400000;

  /* Whether the meeting of `card` takes place on `date` (UTC midnight of a civil date). */
  function meetsOn(card, date) {
    var d = card.dataset, day = new Date(date);
    if (DAYS[(day.getUTCDay() + 6) % 7] !== d.day) { return false; }
    var text = iso(date);
    if (d.starts && text < d.starts) { return false; }
    if (d.ends && text > d.ends) { return false; }
    if (d.cancelled && (" " + d.cancelled + " ").indexOf(" " + text + " ") >= 0) { return false; }
    if (d.frequency === "fortnightly" && d.anchor) {
      var anchor = Date.parse(d.anchor + "T00:00:00Z");
      return Math.round((date - anchor) / DAY_MS) % 14 === 0;
    }
    if (d.frequency === "monthly") {
      var dom = day.getUTCDate();
      if (d.week === "last") {
        return new Date(date + 7 * DAY_MS).getUTCMonth() !== day.getUTCMonth();
      }
      return Math.floor((dom - 1) / 7) === WEEKS.indexOf(d.week);
    }
    return true;
  }

  /* { now: true } while it meets, or { days, start } for the next meeting. */
  function nextMeeting(card, instant) {
    var here = wallClock(instant, card.dataset.timezone);
    var start = minutesOf(card.dataset.start), end = minutesOf(card.dataset.end);
    if (end <= start) { end = 24 * 60; }
    for (var k = 0; k < 70; k += 1) {
      var date = here.date + k * DAY_MS;
      if (!meetsOn(card, date)) { continue; }
      if (k === 0 && here.minutes >= end) { continue; }
      if (k === 0 && here.minutes >= start) { return { now: true, wait: 0, date: date }; }
      return { now: false, wait: k * 1440 + start - here.minutes, date: date, days: k };
    }
    return null;
  }

  var board = document.getElementById("now-next");
  function showStatus() {
    if (!cards.length) { return; }
    var instant = new Date();
    var words = (board || document.body).dataset;
    var lang = words.locale || document.documentElement.lang || "en";
    var dateFormat = new Intl.DateTimeFormat(lang, { weekday: "long", day: "numeric", month: "long", timeZone: "UTC" });
    var soonest = null, nowList = [];
    cards.forEach(function (card) {
      var status = card.querySelector("[data-status]");
      var next = nextMeeting(card, instant);
      if (!status || !next) { return; }
      var zone = card.dataset.zoneAbbreviation ? " " + card.dataset.zoneAbbreviation : "";
      if (next.now) {
        status.textContent = words.now || "Happening now";
        status.className = "status status-now";
        nowList.push(card);
      } else {
        var when = next.days === 0 ? (words.today || "today") : next.days === 1 ? (words.tomorrow || "tomorrow") : dateFormat.format(new Date(next.date));
        card.nextWhen = when + ", " + card.dataset.start + zone;
        status.textContent = (words.next || "Next") + ": " + card.nextWhen;
        status.className = "status";
        if (!soonest || next.wait < soonest.wait) { soonest = { wait: next.wait, card: card }; }
      }
      status.hidden = false;
    });
    if (board) {
      var list = board.querySelector("ul");
      list.textContent = "";
      var add = function (card, label, detail) {
        var item = document.createElement("li");
        item.textContent = label + ": ";
        item.appendChild(card.querySelector(".card-title a").cloneNode(true));
        if (detail) { item.appendChild(document.createTextNode(" (" + detail + ")")); }
        list.appendChild(item);
      };
      nowList.forEach(function (card) { add(card, words.now || "Happening now", ""); });
      if (soonest) { add(soonest.card, words.next || "Next", soonest.card.nextWhen); }
      board.hidden = list.children.length === 0;
    }
  }
  showStatus();
  if (cards.length) { window.setInterval(showStatus, 60000); }

  /* The meeting finder: real form controls that show only the meetings that match, with
     the choice kept in the address so it can be shared and bookmarked. */
  var form = document.getElementById("meeting-filters");
  if (!form) { return; }
  var sections = Array.prototype.slice.call(document.querySelectorAll("section.day"));
  var statusLine = document.getElementById("filter-status");
  var params = new URLSearchParams(window.location.search);
  Array.prototype.forEach.call(form.elements, function (el) {
    if (!el.name || !params.has(el.name)) { return; }
    if (el.type === "checkbox") { el.checked = params.getAll(el.name).indexOf(el.value) >= 0; }
    else { el.value = params.get(el.name); }
  });
  function apply(remember) {
    var data = new FormData(form);
    var want = { day: data.get("day"), time: data.get("time"), topic: data.get("topic"), area: data.get("area") };
    var formats = data.getAll("format");
    var shown = 0;
    cards.forEach(function (card) {
      var d = card.dataset;
      var ok = (!want.day || d.day === want.day) &&
        (!want.time || d.timeOfDay === want.time) &&
        (!formats.length || formats.indexOf(d.format) >= 0) &&
        (!want.topic || (" " + d.topics + " ").indexOf(" " + want.topic + " ") >= 0) &&
        (!want.area || d.area === want.area);
      card.hidden = !ok;
      if (ok) { shown += 1; }
    });
    var active = want.day || want.time || want.topic || want.area || formats.length;
    sections.forEach(function (section) {
      section.hidden = Boolean(active) && !section.querySelector(".meeting:not([hidden])");
    });
    var template = shown === 1 ? statusLine.dataset.one : statusLine.dataset.many;
    statusLine.textContent = template.replace("{count}", shown);
    if (remember) {
      var query = new URLSearchParams();
      data.forEach(function (value, key) { if (value) { query.append(key, value); } });
      var text = query.toString();
      window.history.replaceState(null, "", text ? "?" + text : window.location.pathname);
    }
  }
  form.hidden = false;
  form.addEventListener("change", function () { apply(true); });
  form.addEventListener("submit", function (event) { event.preventDefault(); apply(true); });
  form.addEventListener("reset", function () { window.setTimeout(function () { apply(true); }, 0); });
  apply(false);
}());
