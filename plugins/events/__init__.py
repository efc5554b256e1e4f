"""活动: /events/ with upcoming and past events, an iCalendar file of all events, and one per event."""

from __future__ import annotations

import datetime
import posixpath
from functools import partial
from typing import Any

from icalendar import Calendar, Event
from pelican import signals

from content_model.publication import event_upcoming
from publishing import SITE
from publishing.derived import DerivedGenerator
from publishing.templating import plain_text

PRODID = "-//kexie-press-site//events//ZH"


def is_event(article: Any) -> bool:
    values = article.item.values
    return values.get("type") == "event" and "event" in values


def _is_all_day(moment: datetime.datetime) -> bool:
    return moment.hour == 0 and moment.minute == 0 and moment.second == 0


def event_span(article: Any) -> tuple[datetime.datetime, datetime.datetime]:
    event = article.item.values["event"]
    start = event["start"]
    end = event.get("end") or start
    return start, end


def vevent(article: Any, site_url: str, domain: str) -> Event:
    """One VEVENT; DTSTAMP is the article's date, so the file is the same on every build."""
    start, end = event_span(article)
    event = Event()
    event.add("uid", f"{article.slug}@{domain or 'localhost'}")
    event.add("dtstamp", article.date)
    event.add("summary", plain_text(article.title))
    event.add("location", article.item.values["event"]["location"])
    event.add("description", plain_text(article.summary))
    event.add("url", f"{site_url}/{article.url}")
    if _is_all_day(start) and _is_all_day(end):
        event.add("dtstart", start.date())
        event.add("dtend", end.date() + datetime.timedelta(days=1))  # DTEND of a whole day is exclusive
    else:
        event.add("dtstart", start)
        event.add("dtend", end if end > start else start + datetime.timedelta(hours=2))
    return event


END = b"END:VCALENDAR\r\n"


def calendar(events: list[bytes], name: str) -> bytes:
    """A VCALENDAR of already serialised VEVENTs: the bytes icalendar writes for the same components."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Asia/Shanghai")
    empty = cal.to_ical()
    return empty[: -len(END)] + b"".join(events) + END


class EventsGenerator(DerivedGenerator):
    """Events are articles of type `event`; upcoming means not yet ended at the build's now."""

    def generate_context(self) -> None:
        site = self.context[SITE]
        now, visibility = site.options.now, site.visibility
        with_pages = [*self.context["articles"], *self.context.get("hidden_articles", [])]
        # Each event page offers its own event.ics; a withdrawal notice shows no event.
        self.pages = [a for a in with_pages if is_event(a) and visibility.shows_body(a.item)]
        self.pages.sort(key=lambda a: event_span(a)[0])
        events = [a for a in self.pages if visibility.is_listed(a.item)]
        self.upcoming = [a for a in events if now is None or event_upcoming(a.item.values["event"], now)]
        self.past = [a for a in events if now is not None and not event_upcoming(a.item.values["event"], now)][::-1]
        # The calendar that people subscribe to leaves the site: published events only, even in a preview.
        self.calendar = [a for a in events if visibility.is_syndicated(a.item)]

    def generate_output(self, writer: Any) -> None:
        self.write_page(writer, "events/index.html", "events", "events/", upcoming=self.upcoming, past=self.past)
        site_url = (self.settings.get("SITE_ABSOLUTE_URL") or "").rstrip("/")
        domain = self.settings.get("SITE_DOMAIN", "")
        name = f"{self.settings['SITENAME']}活动"
        writer.write_data("events/events.ics", partial(_calendar_of, self.calendar, site_url, domain, name))
        for article in self.pages:
            writer.write_data(
                posixpath.join(article.url, "event.ics"), partial(_calendar_of, [article], site_url, domain, None)
            )


def _calendar_of(articles: list[Any], site_url: str, domain: str, name: str | None) -> bytes:
    """The calendar of these events, named `name` (or after the one event's title)."""
    serialised = [vevent(article, site_url, domain).to_ical() for article in articles]
    return calendar(serialised, name if name is not None else plain_text(articles[0].title))


def get_generators(_pelican: Any) -> type:
    return EventsGenerator


def register() -> None:
    signals.get_generators.connect(get_generators)
