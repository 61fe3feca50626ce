#!/usr/bin/env python3
"""Reads every .ics file of a built site with Python's `icalendar` and expands it with
`recurring-ical-events`, independent implementations of RFC 5545, and checks what a
calendar app would show:

- every calendar parses, and every event expands to occurrences;
- every occurrence starts at the same local wall-clock time as DTSTART, in the event's
  own time zone, across daylight-saving changes (two years are expanded);
- no occurrence falls on an EXDATE, and none after UNTIL;
- monthly BYDAY rules land on the right weekday and week of the month.

Usage: check_calendars.py PUBLIC_DIR
Prints "N passed, M failed" and exits non-zero on any failure.
"""
import datetime
import pathlib
import sys

import icalendar
import recurring_ical_events


def check_calendar(path):
    problems = []
    cal = icalendar.Calendar.from_ical(path.read_bytes())
    events = [c for c in cal.walk("VEVENT")]
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
