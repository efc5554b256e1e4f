"""Calendars: events serialised once give the same bytes as icalendar writes for the whole calendar."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

from icalendar import Calendar

from events import PRODID, calendar, vevent


def event_article(slug: str, start: datetime.datetime, end: datetime.datetime | None = None) -> SimpleNamespace:
    values = {"event": {"start": start, "end": end, "location": "郑州，河南省科技馆"}}
    return SimpleNamespace(
        slug=slug,
        date=datetime.datetime(2020, 5, 1, 9, 30),
        title=f"活动 <b>{slug}</b>",
        summary="一段很长的摘要，" * 20,
        url=f"articles/2020/05/{slug}/",
        item=SimpleNamespace(values=values),
    )


def test_calendar_is_the_bytes_icalendar_writes() -> None:
    articles = [
        event_article("kepu", datetime.datetime(2020, 9, 19), datetime.datetime(2020, 9, 25)),
        event_article("forum", datetime.datetime(2020, 5, 30, 14, 0)),
    ]
    events = [vevent(a, "https://www.example.cn", "example.cn") for a in articles]
    whole = Calendar()
    for name, value in [
        ("prodid", PRODID),
        ("version", "2.0"),
        ("calscale", "GREGORIAN"),
        ("x-wr-calname", "科协活动"),
        ("x-wr-timezone", "Asia/Shanghai"),
    ]:
        whole.add(name, value)
    for event in events:
        whole.add_component(event)
    assert calendar([e.to_ical() for e in events], "科协活动") == whole.to_ical()
    assert Calendar.from_ical(calendar([], "空")).walk("VEVENT") == []
