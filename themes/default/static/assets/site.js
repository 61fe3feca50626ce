/* PeerPress default theme: quick exit, the meeting finder, "happening now / next", and
   dates made again for the day the page is read. Pages are complete without it. */
(function () {
  "use strict";
  var byId = function (id) { return document.getElementById(id); };
  var each = function (list, fn) { Array.prototype.forEach.call(list, fn); };
  /* A `tag` with `text` at the end of `parent`. */
  var add = function (parent, tag, text, className) {
    var el = parent.appendChild(document.createElement(tag));
    if (text) { el.textContent = text; }
    if (className) { el.className = className; }
    return el;
  };

  /* Quick exit (the button, or Shift three times): blank the page, go to a neutral site
     in its place in the history. */
  var exit = byId("quick-exit");
  if (exit) {
    var leave = function (event) {
      if (event) { event.preventDefault(); }
      document.documentElement.style.display = "none";
      document.title = "";
      location.replace(exit.href);
    };
    exit.onclick = leave;
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
  var DAY_MS = 86400000, words = document.body.dataset;

  var clocks = {}, remembered = {};
  /* The date and minutes since midnight of `instant` in `zone`, remembered (asked again
     and again for the same few instants). */
  function wallClock(instant, zone) {
    var key = zone + +instant;
    if (remembered[key]) { return remembered[key]; }
    var parts = {};
    clocks[zone] = clocks[zone] || new Intl.DateTimeFormat("en-GB", {
      timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", hourCycle: "h23"
    });
    each(clocks[zone].formatToParts(instant), function (p) { parts[p.type] = p.value; });
    return (remembered[key] = {
      date: Date.UTC(+parts.year, +parts.month - 1, +parts.day),
      minutes: parts.hour * 60 + +parts.minute
    });
  }
  function minutesOf(text) { var hm = text.split(":"); return hm[0] * 60 + +hm[1]; }
  function iso(utcDate) { return new Date(utcDate).toISOString().slice(0, 10); }

  /* Whether schedule `d` (data attributes, or the finder's) meets on `date` (UTC
     midnight of a civil date). */
  function meetsOn(d, date) {
    var day = new Date(date);
    if (DAYS[(day.getUTCDay() + 6) % 7] !== d.day) { return false; }
    var text = iso(date);
    if (text < (d.starts || "") || text > (d.ends || "z")) { return false; }
    /* `cancelled`: dates and from/to ranges. */
    if ((d.cancelled || "").split(" ").some(function (r) { r = r.split("/"); return text >= r[0] && text <= (r[1] || r[0]); })) { return false; }
    if (d.frequency === "fortnightly" && d.anchor) {
      var anchor = Date.parse(d.anchor + "T00:00:00Z");
      return Math.round((date - anchor) / DAY_MS) % 14 === 0;
    }
    if (d.frequency === "monthly") {
      if (d.week === "last") {
        return new Date(date + 7 * DAY_MS).getUTCMonth() !== day.getUTCMonth();
      }
      return Math.floor((day.getUTCDate() - 1) / 7) === WEEKS.indexOf(d.week);
    }
    return true;
  }

  /* When `d` (`day` 0 = Monday, `start`–`end` in minutes) next meets: in `wait` minutes
     (0 or less: now), `k` days on. On its own clock (an hour out over a clock change,
     enough to sort by), with no Intl call per meeting: quick for thousands. */
  function next(d, day, start, end, instant) {
    var wall = wallClock(instant, d.timezone || fd.timezone);
    var length = (end > start ? 0 : 1440) + end - start;
    for (var k = (day - new Date(wall.date).getUTCDay() + 9) % 7 - 1; k < 62; k += 7) {
      var wait = k * 1440 + start - wall.minutes, date = wall.date + k * DAY_MS;
      if (wait + length > 0 && meetsOn(d, date)) { return { wait: wait, k: k, date: date }; }
    }
  }

  /* The instant at `minutes` past midnight of `date` in `zone` (the offset read twice,
     so a time after a clock change is right). */
  function instantAt(date, minutes, zone) {
    var local = date + minutes * 60000;
    var offset = function (instant) {
      var wall = wallClock(instant, zone);
      return wall.date + wall.minutes * 60000 - instant;
    };
    return local - offset(local - offset(local));
  }

  /* Up to `limit` meetings ({ date, start, time, note }) of `d` in `zone` not over at
     `instant`, within `days` days; `d.changes`: date → [change in words, start, end]. */
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
    each(dateFormats[locale].formatToParts(new Date(date)), function (p) { parts[p.type] = p.value; });
    return pattern.replace(/\{(weekday|day|month|year)\}/g, function (all, key) { return parts[key]; });
  }

  /* `minutes` past midnight as the site writes times: 19:00, or 7:00pm. */
  function formatTime(minutes, words) {
    var hour = Math.floor(minutes / 60), rest = ("0" + (minutes % 60)).slice(-2);
    if (words.clock !== "12h") { return ("0" + hour).slice(-2) + ":" + rest; }
    return (hour % 12 || 12) + ":" + rest + (hour < 12 ? words.am : words.pm);
  }

  /* "Coming up": seven days from today in the site's zone, from the meetings listed and
     those in the <template> (none in the build's week). */
  function showUpcoming(box, instant) {
    var words = box.dataset, zone = words.timezone;
    var today = wallClock(instant, zone).date;
    var seen = {}, days = {};
    Array.from(box.querySelectorAll("li[data-day]")).concat(
      Array.from(box.querySelector("template").content.querySelectorAll("li"))).forEach(function (item, order) {
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
      var heading = add(list, "h3", "", "day-heading");
      add(heading, "time", formatDate(words.date, words.locale, date)).dateTime = iso(date);
      if (date === today) {
        heading.append(" ");
        add(heading, "span", "(" + words.today + ")", "today");
      }
      var day = add(list, "ul", "", "plain upcoming-list");
      days[date].sort(function (a, b) { return a.start - b.start || a.order - b.order; })
        .forEach(function (entry) { day.appendChild(entry.item); });
    });
    if (!dates.length) { add(list, "p", words.none); }
    var note = box.querySelector("[data-live]");
    note.textContent = note.dataset.live;
  }

  /* A meeting's page: its next dates and cancellations to come, or that it has ended. */
  function showDates(section, instant) {
    var d = section.dataset, zone = d.timezone;
    var today = iso(wallClock(instant, zone).date);
    var next = occurrences(d, zone, instant, 400, 4);
    if (!next.length) {
      section.hidden = true;
      var ended = byId("meeting-ended");
      if (ended && d.ends < today) { ended.hidden = false; }
      return;
    }
    var zoneName = byId("meeting-zone");
    if (zoneName) { zoneName.textContent = zoneOn(d.zones, next[0].date); }
    var list = section.querySelector("[data-next]");
    list.textContent = "";
    next.forEach(function (o) {
      var li = add(list, "li");
      add(li, "time", formatDate(d.date, d.locale, o.date)).dateTime = iso(o.date);
      li.append(noted("", o));
    });
    var notMeeting = section.querySelectorAll("[data-not-meeting]");
    if (notMeeting.length && !notMeeting[1].children.length) {
      each(notMeeting, function (el) { el.remove(); });
    }
    section.querySelector("[data-as-of]").remove();
  }

  /* What is over goes: notices, dates not meeting, a big site's "coming up" items
     (`data-until`: the instant each is over). */
  each(document.querySelectorAll("[data-until]"), function (n) {
    if (Date.parse(n.dataset.until) <= Date.now()) { n.remove(); }
  });
  var upcoming = byId("upcoming");
  if (upcoming) { showUpcoming(upcoming, new Date()); }
  var meetingDates = byId("meeting-dates");
  if (meetingDates) { showDates(meetingDates, new Date()); }

  /* Each meeting card's status: "Happening now", or "Next: today, 19:00". */
  var cards = document.querySelectorAll(".meeting[data-day][data-start]");
  function showStatus() {
    var instant = new Date();
    var dateFormat = new Intl.DateTimeFormat(words.locale, { weekday: "long", day: "numeric", month: "long", timeZone: "UTC" });
    each(cards, function (card) {
      var d = card.dataset, status = card.querySelector("[data-status]");
      var when = occurrences(d, d.timezone, instant, 70, 1)[0];
      if (!when && d.ends < iso(wallClock(instant, d.timezone).date)) {
        card.hidden = true; /* ended since the build */
      }
      if (!status || !when) { return; }
      var now = when.start <= instant, k = Math.round((when.date - wallClock(instant, d.timezone).date) / DAY_MS);
      var day = [words.today, words.tomorrow][k] || dateFormat.format(new Date(when.date));
      status.textContent = now ? words.now : words.next + ": " + noted(day + ", " + when.time + (d.zones ? " " + zoneOn(d.zones, when.date) : ""), when);
      status.className = now ? "status status-now" : "status";
      status.hidden = false;
    });
  }
  if (cards.length) { showStatus(); setInterval(showStatus, 60000); }

  /* The meeting finder: once a control is set, the meetings that match, soonest first,
     from its `data` (fetched when first needed; a promise till then); the choice kept
     in the address. */
  var form = byId("meeting-filters");
  if (!form) { return; }
  var line = byId("filter-status"), ld = line.dataset, fd = form.dataset;
  var results = byId("finder-results"), schedule = byId("schedule");
  var list = results.querySelector("ol"), more = results.querySelector("button");
  var params = new URLSearchParams(location.search), data, found, limit;
  var FORMATS = ["in-person", "online", "hybrid"], names = {};
  each(form.elements, function (el) {
    var box = el.type === "checkbox", values = params.getAll(el.name);
    if (box) { names[el.value] = el.parentNode.textContent.trim(); }
    if (values.length) { if (box) { el.checked = values.indexOf(el.value) >= 0; } else { el.value = values[0]; } }
  });

  function show() {
    list.textContent = "";
    found.slice(0, limit).forEach(function (f) {
      var m = f.m, li = add(list, "li"), format = FORMATS[m[5]], later = f.wait > 0;
      [[later ? "status" : "status status-now", later ? [words.today, words.tomorrow][f.k] || form.elements.day.options[m[2] + 1].text : words.now],
        ["time", formatTime(m[3], fd) + "–" + formatTime(m[4], fd) + (m.d.timezone ? " " + m.d.timezone : "")],
        ["", m[1]], ["badge badge-" + format, names[format]],
        ["muted", m.w]
      ].forEach(function (part) {
        var el = add(li, part[0] ? "span" : "a", part[1], part[0]);
        if (!part[0]) { el.href = data.base + m[0] + "/"; }
        li.append(" ");
      });
    });
    more.hidden = found.length <= limit;
    line.textContent = (found.length === 1 ? ld.one : ld.many).replace("{count}", found.length);
  }

  function apply(remember) {
    var f = new FormData(form), query = new URLSearchParams();
    f.forEach(function (value, key) { if (value) { query.append(key, value); } });
    var active = !!String(query);
    if (remember) { history.replaceState(null, "", active ? "?" + query : location.pathname); }
    results.hidden = !active;
    schedule.hidden = active;
    line.textContent = active ? ld.loading : "";
    if (!active || (data && data.then)) { return; }
    if (!data) {
      data = fetch(fd.finder).then(function (response) { return response.json(); }).then(function (json) {
        json.meetings.forEach(function (m) {
          var v = json.venues[m[6]] || [];
          m.d = m[10];
          m.d.day = DAYS[m[2]];
          m.a = v[1];
          m.w = [json.groups[m[11]], v[0], (json.areas[v[1]] || [])[1]].filter(Boolean).join(", ");
        });
        data = json;
        apply();
      }, function () { data = null; line.textContent = ld.failed; results.hidden = !(schedule.hidden = false); });
      return;
    }
    /* Each choice as the data numbers it: -1 if no meeting has it, -2 for any. */
    var pick = function (name, names) { var v = f.get(name); return v ? names.indexOf(v) : -2; };
    var day = pick("day", DAYS), topic = pick("topic", data.topics), language = pick("language", data.languages);
    var area = pick("area", data.areas.map(function (a) { return a[0]; })), time = f.get("time"), instant = new Date();
    var formats = f.getAll("format").map(function (k) { return FORMATS.indexOf(k); });
    var types = f.getAll("type").map(function (k) { return data.types.indexOf(k); });
    found = [];
    data.meetings.forEach(function (m) {
      var when;
      if ((day < -1 || m[2] === day) && (!time || time === (m[3] < 720 ? "morning" : m[3] < 1020 ? "afternoon" : "evening")) &&
        (!formats.length || formats.indexOf(m[5]) >= 0) && (area < -1 || m.a === area) &&
        (topic < -1 || m[7].indexOf(topic) >= 0) && (language < -1 || m[9] === language) &&
        types.every(function (t) { return m[8].indexOf(t) >= 0; }) && (when = next(m.d, m[2], m[3], m[4], instant))) {
        when.m = m;
        found.push(when);
      }
    });
    found.sort(function (a, b) { return a.wait - b.wait; });
    limit = 50;
    show();
  }
  more.onclick = function () { limit += 50; show(); };
  form.hidden = false;
  form.onchange = function () { apply(true); };
  form.onsubmit = function (event) { event.preventDefault(); apply(true); };
  form.onreset = function () { setTimeout(apply, 0, true); };
  apply();
}());
