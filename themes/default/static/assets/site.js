/* PeerPress default theme: quick exit, the finder's filters, "happening now / next", and
   "coming up" and a meeting's dates computed again for the day the page is read, from
   the schedules in the page. Every page is complete without this script. */
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

  var clocks = {}, remembered = {};
  /* The date and minutes since midnight of `instant` in `zone`, remembered (a page asks
     for the same few instants again and again). */
  function wallClock(instant, zone) {
    var key = zone + +instant;
    if (remembered[key]) { return remembered[key]; }
    var parts = {};
    clocks[zone] = clocks[zone] || new Intl.DateTimeFormat("en-GB", {
      timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", hourCycle: "h23"
    });
    clocks[zone].formatToParts(instant).forEach(function (p) { parts[p.type] = p.value; });
    return (remembered[key] = {
      date: Date.UTC(+parts.year, +parts.month - 1, +parts.day),
      minutes: (+parts.hour) * 60 + (+parts.minute)
    });
  }
  function minutesOf(text) { var hm = text.split(":"); return (+hm[0]) * 60 + (+hm[1]); }
  function iso(utcDate) { return new Date(utcDate).toISOString().slice(0, 10); }
  var DAY_MS = 86400000;

  /* Whether schedule `d` (data attributes; `cancelled`: dates and from/to ranges) meets
     on `date` (UTC midnight of a civil date). */
  function meetsOn(d, date) {
    var day = new Date(date);
    if (DAYS[(day.getUTCDay() + 6) % 7] !== d.day) { return false; }
    var text = iso(date);
    if (d.starts && text < d.starts) { return false; }
    if (d.ends && text > d.ends) { return false; }
    if (d.cancelled && d.cancelled.split(" ").some(function (r) { r = r.split("/"); return text >= r[0] && text <= (r[1] || r[0]); })) { return false; }
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

  /* { now: true } while it meets, or { days, wait } until the next meeting. */
  function nextMeeting(card, instant) {
    var zone = card.dataset.timezone, next = occurrences(card.dataset, zone, instant, 70, 1)[0];
    if (!next) { return null; }
    if (next.start <= +instant) { return { now: true }; }
    next.wait = next.start - instant;
    next.days = Math.round((next.date - wallClock(instant, zone).date) / DAY_MS);
    return next;
  }

  /* The instant at `minutes` past midnight of `date` in `zone`: the offset read at a
     guess and again at the instant it gives is right after a clock change. */
  function instantAt(date, minutes, zone) {
    var local = date + minutes * 60000;
    var offset = function (instant) {
      var wall = wallClock(instant, zone);
      return wall.date + wall.minutes * 60000 - instant;
    };
    return local - offset(local - offset(local));
  }

  /* Up to `limit` meetings ({ date, start, time, note }) of `d` in `zone` not ended at
     `instant`, `days` ahead; `d.changes`: date → [change in words, start, end]. */
  function occurrences(d, zone, instant, days, limit) {
    var today = wallClock(instant, zone).date, changes = JSON.parse(d.changes || "{}");
    var found = [];
    for (var k = -1; k <= days && found.length < limit; k += 1) {
      var date = today + k * DAY_MS, c = changes[iso(date)] || [];
      if (!meetsOn(d, date)) { continue; }
      var start = minutesOf(c[1] || d.start), end = minutesOf(c[2] || d.end);
      var at = instantAt(date, start, zone);
      if (at + ((end > start ? end : end + 1440) - start) * 60000 > +instant) {
        found.push({ date: date, start: at, time: c[1] || d.start, note: c[0] });
      }
    }
    return found;
  }
  function noted(text, o) { return o.note ? text + " (" + o.note + ")" : text; }

  /* The zone's name on `date`, from its changes: "GMT 2027-03-28 BST". */
  function zoneOn(zones, date) {
    var z = zones.split(" "), i = 0;
    while (z[i + 1] <= iso(date)) { i += 2; }
    return z[i];
  }

  var dateFormats = {};
  /* `date` as the theme's `pattern` ("{weekday} {day} {month}") in `locale`. */
  function formatDate(pattern, locale, date) {
    var parts = {};
    dateFormats[locale] = dateFormats[locale] || new Intl.DateTimeFormat(locale, {
      weekday: "long", day: "numeric", month: "long", year: "numeric", timeZone: "UTC"
    });
    dateFormats[locale].formatToParts(new Date(date)).forEach(function (p) { parts[p.type] = p.value; });
    return pattern.replace(/\{(weekday|day|month|year)\}/g, function (all, key) { return parts[key]; });
  }

  /* `minutes` past midnight as the site writes times: 19:00, or 7:00pm on a 12-hour clock. */
  function formatTime(minutes, words) {
    var hour = Math.floor(minutes / 60), rest = ("0" + (minutes % 60)).slice(-2);
    if (words.clock !== "12h") { return ("0" + hour).slice(-2) + ":" + rest; }
    return (hour % 12 || 12) + ":" + rest + (hour < 12 ? words.am : words.pm);
  }

  /* "Coming up": the seven days from today in the site's zone, from the meetings listed
     and in the <template> (none in the week of the build). */
  function showUpcoming(box, instant) {
    var words = box.dataset, zone = words.timezone;
    var today = wallClock(instant, zone).date;
    var items = Array.prototype.slice.call(box.querySelectorAll("li[data-day]")).concat(
      Array.prototype.slice.call(box.querySelector("template").content.querySelectorAll("li")));
    var seen = {}, days = {};
    items.forEach(function (item, order) {
      var href = item.querySelector("a").getAttribute("href");
      if (seen[href]) { return; }
      seen[href] = true;
      occurrences(item.dataset, item.dataset.timezone || zone, instant, 8, 8).forEach(function (o) {
        var local = wallClock(o.start, zone);
        if (local.date < today || local.date > today + 6 * DAY_MS) { return; }
        var copy = document.importNode(item, true);
        copy.querySelector(".time").textContent = noted(formatTime(local.minutes, words), o);
        (days[local.date] = days[local.date] || []).push({ start: o.start, order: order, item: copy });
      });
    });
    var list = box.querySelector("[data-days]");
    list.textContent = "";
    var dates = Object.keys(days).map(Number).sort(function (a, b) { return a - b; });
    dates.forEach(function (date) {
      var heading = document.createElement("h3"), time = document.createElement("time");
      heading.className = "day-heading";
      time.dateTime = iso(date);
      time.textContent = formatDate(words.date, words.locale, date);
      heading.appendChild(time);
      if (date === today) {
        var mark = document.createElement("span");
        mark.className = "today";
        mark.textContent = "(" + words.today + ")";
        heading.appendChild(document.createTextNode(" "));
        heading.appendChild(mark);
      }
      var day = document.createElement("ul");
      day.className = "plain upcoming-list";
      days[date].sort(function (a, b) { return a.start - b.start || a.order - b.order; })
        .forEach(function (entry) { day.appendChild(entry.item); });
      list.appendChild(heading);
      list.appendChild(day);
    });
    if (!dates.length) {
      var none = document.createElement("p");
      none.textContent = words.none;
      list.appendChild(none);
    }
    var note = box.querySelector("[data-live]");
    note.textContent = note.dataset.live;
  }

  /* A meeting's page: its next dates and the cancellations still to come, or that it
     has ended. */
  function showDates(section, instant) {
    var d = section.dataset, zone = d.timezone;
    var today = iso(wallClock(instant, zone).date);
    var next = occurrences(d, zone, instant, 400, 4);
    if (!next.length) {
      section.hidden = true;
      var ended = document.getElementById("meeting-ended");
      if (ended && d.ends < today) { ended.hidden = false; }
      return;
    }
    var el = document.getElementById("meeting-zone");
    if (el) { el.textContent = zoneOn(d.zones, next[0].date); }
    var list = section.querySelector("[data-next]");
    list.textContent = "";
    next.forEach(function (o) {
      var item = document.createElement("li"), time = document.createElement("time");
      time.dateTime = iso(o.date);
      time.textContent = formatDate(d.date, d.locale, o.date);
      item.appendChild(time);
      item.appendChild(document.createTextNode(noted("", o)));
      list.appendChild(item);
    });
    var notMeeting = section.querySelectorAll("[data-not-meeting]");
    if (notMeeting.length && !notMeeting[1].children.length) {
      Array.prototype.forEach.call(notMeeting, function (el) { el.remove(); });
    }
    section.querySelector("[data-as-of]").remove();
  }

  /* Notices and not-meeting dates now past are dropped. */
  Array.prototype.forEach.call(document.querySelectorAll("[data-until]"), function (n) {
    if (n.dataset.until < iso(Date.now())) { n.remove(); }
  });
  var upcoming = document.getElementById("upcoming");
  if (upcoming) { showUpcoming(upcoming, new Date()); }
  var meetingDates = document.getElementById("meeting-dates");
  if (meetingDates) { showDates(meetingDates, new Date()); }

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
      var next = nextMeeting(card, instant), d = card.dataset;
      if (!next && d.ends && d.ends < iso(wallClock(instant, d.timezone).date)) {
        card.ended = card.hidden = true; /* ended since the page was built */
      }
      if (!status || !next) { return; }
      var zone = d.zones ? " " + zoneOn(d.zones, next.date) : "";
      if (next.now) {
        status.textContent = words.now || "Happening now";
        status.className = "status status-now";
        nowList.push(card);
      } else {
        var when = next.days === 0 ? (words.today || "today") : next.days === 1 ? (words.tomorrow || "tomorrow") : dateFormat.format(new Date(next.date));
        card.nextWhen = noted(when + ", " + next.time + zone, next);
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
      ok = ok && !card.ended;
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
