#!/usr/bin/env python3
"""Reads every .ics file of a built site with Python's `icalendar` and expands it with
`recurring-ical-events`, independent implementations of RFC 5545, and checks what a
calendar app would show:

- every calendar parses, and every event expands to occurrences;
- every occurrence starts at the same local wall-clock time as DTSTART, in the event's
  own time zone, across daylight-saving changes (two years are expanded);
- no occurrence falls on an EXDATE, and none after UNTIL;
- monthly BYDAY rules land on the right weekday and week of the month;
- every EXDATE is a date the rule gives (else a cancelled date would be lost);
- every changed date (a VEVENT with a RECURRENCE-ID) replaces a date the rule gives, not
  an EXDATE, and expanding the whole calendar shows it once, at its new time;
- each VTIMEZONE, read on its own (without the IANA name), gives the same UTC offsets
  as the IANA database for winter and summer days up to 2060.

Usage: check_calendars.py PUBLIC_DIR
Prints "N passed, M failed" and exits non-zero on any failure.
"""
import datetime
import pathlib
import sys
import zoneinfo

import icalendar
import recurring_ical_events


def check_time_zones(cal):
    """Each VTIMEZONE's own observances against the IANA database, years ahead."""
    problems = []
    for component in cal.walk("VTIMEZONE"):
        name = str(component["TZID"])
        own = component.to_tz(lookup_tzid=False)
        iana = zoneinfo.ZoneInfo(name)
        for year in (2027, 2036, 2045, 2060):
            for month in (1, 7):
                moment = datetime.datetime(year, month, 15, 12, 0)
                mine = moment.replace(tzinfo=own).utcoffset()
                real = moment.replace(tzinfo=iana).utcoffset()
                if mine != real:
                    problems.append(f"{name}: VTIMEZONE gives {mine} on {moment:%Y-%m-%d}, not {real}")
    return problems


def check_changes(cal, event, exdates):
    """The dates changed for once (RECURRENCE-ID) of the recurring `event`."""
    problems = []
    uid = str(event["UID"])
    tz = event["DTSTART"].dt.tzinfo
    overrides = [c for c in cal.walk("VEVENT") if str(c["UID"]) == uid and "RECURRENCE-ID" in c]
    if not overrides:
        return problems
    alone = icalendar.Calendar()
    alone.add_component(event)
    whole = icalendar.Calendar()
    whole.add_component(event)
    for override in overrides:
        whole.add_component(override)
    for override in overrides:
        recurrence_id = override["RECURRENCE-ID"].dt
        day = recurrence_id.date()
        start = datetime.datetime.combine(day, datetime.time(0, 0), tz)
        end = start + datetime.timedelta(days=1)
        usual = recurring_ical_events.of(alone).between(start, end)
        if day in exdates:
            problems.append(f"{uid}: {day} is both cancelled and changed")
        if [o["DTSTART"].dt for o in usual] != [recurrence_id]:
            problems.append(f"{uid}: RECURRENCE-ID {recurrence_id} is not a date the rule gives")
        shown = recurring_ical_events.of(whole).between(start, end)
        wanted = override["DTSTART"].dt
        if [o["DTSTART"].dt for o in shown] != [wanted]:
            problems.append(f"{uid}: {day} shows {[str(o['DTSTART'].dt) for o in shown]}, not the changed time {wanted}")
    return problems


def check_calendar(path):
    problems = []
    cal = icalendar.Calendar.from_ical(path.read_bytes())
    if not cal.subcomponents:
        problems.append(f"{path}: no components (RFC 5545 needs at least one)")
    problems.extend(check_time_zones(cal))
    events = [c for c in cal.walk("VEVENT") if "RECURRENCE-ID" not in c]
    if not events:
        problems.append(f"{path}: no events")
    for event in events:
        uid = str(event["UID"])
        start = event["DTSTART"].dt
        tz = start.tzinfo
        rule = event.get("RRULE", {})
        exdates = set()
        for ex in event.get("EXDATE", []) if isinstance(event.get("EXDATE"), list) else [event.get("EXDATE")] if event.get("EXDATE") else []:
            for d in ex.dts:
                exdates.add(d.dt.date())
        single = icalendar.Calendar()
        for tzc in cal.walk("VTIMEZONE"):
            single.add_component(tzc)
        single.add_component(event)
        window_start = start - datetime.timedelta(days=1)
        window_end = start + datetime.timedelta(days=731)
        occurrences = recurring_ical_events.of(single).between(window_start, window_end)
        if not occurrences:
            problems.append(f"{uid}: expands to nothing")
        if exdates and rule:
            unexcluded = icalendar.Calendar()
            bare = icalendar.Event()
            for key in ("UID", "DTSTART", "DTEND", "RRULE"):
                bare[key] = event[key]
            unexcluded.add_component(bare)
            last = max(exdates) + datetime.timedelta(days=1)
            given = {o["DTSTART"].dt.astimezone(tz).date() for o in recurring_ical_events.of(unexcluded).between(window_start, datetime.datetime.combine(last, datetime.time(23, 59), tz))}
            for day in sorted(exdates - given):
                problems.append(f"{uid}: EXDATE {day} is not a date the rule gives")
        problems.extend(check_changes(cal, event, exdates))
        for occ in occurrences:
            occ_start = occ["DTSTART"].dt.astimezone(tz)
            if (occ_start.hour, occ_start.minute) != (start.hour, start.minute):
                problems.append(f"{uid}: {occ_start} is not at {start:%H:%M} local time")
            if occ_start.date() in exdates:
                problems.append(f"{uid}: {occ_start.date()} is cancelled but still listed")
            if occ_start.weekday() != start.weekday():
                problems.append(f"{uid}: {occ_start.date()} is not a {start:%A}")
            until = rule.get("UNTIL")
            if until and occ_start > until[0].astimezone(tz) + datetime.timedelta(seconds=1):
                problems.append(f"{uid}: {occ_start} is after UNTIL")
            for byday in rule.get("BYDAY", []) if rule.get("FREQ") == ["MONTHLY"] else []:
                ordinal = int(byday[:-2])
                day = occ_start.day
                if ordinal > 0 and (day - 1) // 7 + 1 != ordinal:
                    problems.append(f"{uid}: {occ_start.date()} is not week {ordinal} of its month")
                if ordinal == -1 and (occ_start + datetime.timedelta(days=7)).month == occ_start.month:
                    problems.append(f"{uid}: {occ_start.date()} is not the last {start:%A} of its month")
    return problems


def main():
    public = pathlib.Path(sys.argv[1])
    files = sorted(public.rglob("*.ics"))
    passed = failed = 0
    for path in files:
        problems = check_calendar(path)
        if problems:
            failed += 1
            print(f"FAIL {path.relative_to(public)}")
            for p in problems[:10]:
                print(f"  {p}")
        else:
            passed += 1
    if not files:
        failed += 1
        print("no calendars found")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
