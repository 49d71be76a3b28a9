"""Time expressions resolved against the publication date (warmonitor.extraction.calendar)."""
from datetime import date, timedelta

import pytest

from warmonitor.extraction.calendar import default_time, find_all_times, find_time, load_time_expressions, resolve

TUE = date(2024, 12, 3)  # the Hama report: published on a Tuesday


def d(text: str) -> date:
    return date.fromisoformat(text)


def test_phrase_tables_are_shipped_data():
    tables = load_time_expressions()
    assert tables["fuzzy"]["few"] == 3 and tables["fuzzy"]["several"] == 5
    assert load_time_expressions() is tables  # loaded once


# --- weekdays ---------------------------------------------------------------------------------------

def test_on_tuesday_in_a_tuesday_report_is_the_publication_day():
    span = resolve("on Tuesday", TUE)
    assert (span.date, span.start, span.end, span.precision) == (TUE, TUE, TUE, 1)
    assert "publication day" in span.why and span.text == "on Tuesday"


@pytest.mark.parametrize("expression, expected", [
    ("on Monday", "2024-12-02"),            # yesterday
    ("Monday night", "2024-12-02"),
    ("late on Sunday", "2024-12-01"),
    ("early Tuesday", "2024-12-03"),
    ("Tuesday morning", "2024-12-03"),
    ("earlier on Tuesday", "2024-12-03"),
    ("on Wednesday", "2024-11-27"),         # later in the week than publication: the week before
    ("on Saturday", "2024-11-30"),
    ("last Tuesday", "2024-11-26"),         # "last" is strictly before publication
    ("last Monday", "2024-12-02"),
    ("THURSDAY", "2024-11-28"),
])
def test_weekdays_are_the_most_recent_such_day(expression, expected):
    span = resolve(expression, TUE)
    assert span.date == d(expected) and span.precision == 1


def test_two_weekdays_are_a_span():
    span = resolve("on Friday and Saturday", TUE)
    assert (span.start, span.end, span.precision) == (d("2024-11-29"), d("2024-11-30"), 2)


# --- days around publication --------------------------------------------------------------------------

@pytest.mark.parametrize("expression, days_back", [
    ("today", 0), ("tonight", 0), ("this morning", 0), ("This evening", 0), ("earlier today", 0),
    ("yesterday", 1), ("last night", 1), ("overnight", 1), ("yesterday evening", 1),
    ("the day before yesterday", 2), ("3 days ago", 3), ("two days ago", 2),
])
def test_days_before_publication(expression, days_back):
    span = resolve(expression, TUE)
    assert span.date == TUE - timedelta(days=days_back) and span.precision == 1


@pytest.mark.parametrize("expression", [
    "in the last few hours", "in the past 24 hours", "hours ago", "a few hours earlier", "earlier on",
])
def test_recent_hours_are_the_publication_day_starting_the_day_before(expression):
    span = resolve(expression, TUE)
    assert (span.date, span.start, span.end, span.precision) == (TUE, TUE - timedelta(days=1), TUE, 1)


def test_past_48_hours_is_a_two_day_span():
    span = resolve("in the past 48 hours", TUE)
    assert (span.start, span.end, span.precision) == (d("2024-12-01"), TUE, 2)


# --- weeks, spans, months ------------------------------------------------------------------------------

def test_last_week_is_the_seven_days_before_publication():
    span = resolve("last week", TUE)
    assert span.precision == 2
    assert span.start <= d("2024-11-27") <= span.end  # the Hama offensive began on November 27
    assert (span.start, span.end) == (d("2024-11-26"), d("2024-12-02"))
    assert span.date == d("2024-11-29")  # the midpoint


def test_this_week_runs_from_monday():
    span = resolve("this week", TUE)
    assert (span.start, span.end, span.precision) == (d("2024-12-02"), TUE, 2)


@pytest.mark.parametrize("expression, days", [
    ("in the past few days", 3), ("over the past several days", 5), ("in recent days", 7),
    ("over the past week", 7), ("in the past 10 days", 10), ("in the last two weeks", 14),
])
def test_windows_up_to_publication(expression, days):
    span = resolve(expression, TUE)
    assert (span.start, span.end, span.precision) == (TUE - timedelta(days=days), TUE, 2)


def test_week_ago_and_weekend():
    span = resolve("two weeks ago", TUE)
    assert span.date == d("2024-11-19") and span.precision == 2
    span = resolve("a week ago", TUE)
    assert span.start <= d("2024-11-26") <= span.end
    span = resolve("last weekend", TUE)
    assert (span.start, span.end, span.precision) == (d("2024-11-30"), d("2024-12-01"), 2)


def test_last_month_is_the_previous_calendar_month():
    span = resolve("last month", TUE)
    assert (span.date, span.start, span.end, span.precision) == (
        d("2024-11-15"), d("2024-11-01"), d("2024-11-30"), 3)
    assert resolve("last month", d("2025-01-10")).date == d("2024-12-15")


def test_earlier_this_month_runs_from_the_first():
    span = resolve("earlier this month", d("2024-12-20"))
    assert (span.start, span.end, span.precision) == (d("2024-12-01"), d("2024-12-20"), 3)
    assert resolve("earlier this month", TUE).precision == 2  # three days: a span of days


def test_parts_of_a_month():
    span = resolve("the end of November", TUE)
    assert (span.start, span.end, span.precision) == (d("2024-11-25"), d("2024-11-30"), 2)
    span = resolve("mid-November", TUE)
    assert (span.start, span.end) == (d("2024-11-11"), d("2024-11-20"))
    assert resolve("early February", TUE).end == d("2024-02-10")


# --- since ----------------------------------------------------------------------------------------------

def test_since_the_end_of_november():
    span = resolve("since the end of November", TUE)
    assert d("2024-11-24") <= span.start <= d("2024-11-26")
    assert span.end == TUE and span.precision == 2
    assert span.date == span.start + (span.end - span.start) // 2
    assert span.text == "since the end of November"


@pytest.mark.parametrize("expression, start", [
    ("since November 27", "2024-11-27"), ("since Wednesday", "2024-11-27"),
    ("since last week", "2024-11-26"), ("since the start of November", "2024-11-01"),
    ("since the middle of November", "2024-11-11"),
])
def test_since_runs_to_publication(expression, start):
    span = resolve(expression, TUE)
    assert (span.start, span.end) == (d(start), TUE)


def test_since_a_year_is_that_year():
    span = resolve("since 2011", TUE)
    assert (span.start, span.end, span.precision) == (d("2011-01-01"), d("2011-12-31"), 3)
    assert "year" in span.why


# --- absolute dates ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("expression, expected", [
    ("On 9 May 2020", "2020-05-09"), ("on May 9, 2020", "2020-05-09"), ("the 9th of May 2020", "2020-05-09"),
    ("2024-12-03", "2024-12-03"), ("03/12/2024", "2024-12-03"), ("12/25/2024", "2024-12-25"),
    ("December 3", "2024-12-03"), ("Dec. 1", "2024-12-01"), ("9 May", "2024-05-09"),
    ("on the 3rd", "2024-12-03"), ("on the 5th", "2024-11-05"),
])
def test_absolute_dates_are_days(expression, expected):
    span = resolve(expression, TUE)
    assert span.date == d(expected) and span.precision == 1


def test_day_and_month_after_publication_are_last_year():
    assert resolve("9 May", d("2025-01-15")).date == d("2024-05-09")
    assert resolve("December 30", d("2025-01-02")).date == d("2024-12-30")
    assert resolve("January 20", d("2025-01-02")).date == d("2025-01-20")  # within the month's grace


def test_months_are_precision_three_coded_mid_month():
    span = resolve("in May 2020", TUE)
    assert (span.date, span.start, span.end, span.precision) == (
        d("2020-05-15"), d("2020-05-01"), d("2020-05-31"), 3)
    assert resolve("in February", d("2025-01-10")).start == d("2024-02-01")  # a month: never later
    assert resolve("in December", TUE).start == d("2024-12-01")


@pytest.mark.parametrize("sentence, year", [
    ("Russia first intervened directly in Syria's war in 2015 with strikes.", 2015),
    ("the scars of the 1982 massacre by the army have yet to heal", 1982),
    ("critics of the 2015 intervention", 2015),
])
def test_years(sentence, year):
    span = find_time(sentence, TUE)
    assert (span.start, span.end, span.precision) == (date(year, 1, 1), date(year, 12, 31), 3)
    assert "year" in span.why


def test_words_that_are_not_dates():
    assert find_time("Rebels may 9 times out of 10 retreat.", TUE) is None
    assert find_time("Protesters march on the palace.", TUE) is None
    assert find_time("The offensive displaced 2000 people.", TUE) is None
    assert find_time("It was a bastion of opposition early on in the civil war.", TUE) is None


# --- no publication date ------------------------------------------------------------------------------

@pytest.mark.parametrize("expression", ["on Tuesday", "last week", "yesterday", "9 May", "since Wednesday"])
def test_relative_expressions_without_publication_date_say_so(expression):
    span = resolve(expression, None)
    assert span.date is None and span.precision is None
    assert "publication date" in span.why


def test_relative_why_names_the_expression():
    assert resolve("on Tuesday", None).why == "relative expression 'on Tuesday' without a publication date"


def test_absolute_dates_resolve_without_publication_date():
    assert resolve("On 9 May 2020", None).date == d("2020-05-09")
    assert resolve("in May 2020", None).precision == 3
    assert resolve("in 2015", None).start == d("2015-01-01")


def test_default_time():
    span = default_time(TUE)
    assert (span.date, span.start, span.end, span.precision) == (TUE, d("2024-12-02"), TUE, 1)
    none = default_time(None)
    assert (none.date, none.start, none.end, none.precision) == (None, None, None, None)
    assert "no publication date" in none.why


# --- sentences ----------------------------------------------------------------------------------------------

def test_sentence_without_time_is_none():
    assert find_time("Hama is a strategic city linking Aleppo to the capital Damascus.", TUE) is None
    assert find_all_times("Hama is a strategic city.", TUE) == []


def test_hama_lead_sentence():
    sentence = "Islamist-led rebels battled army troops on Tuesday as they advanced towards the city of Hama."
    span = find_time(sentence, TUE)
    assert span.date == TUE and span.text == "on Tuesday"


def test_since_clause_expression_is_kept_but_marked():
    sentence = ("HTS fought some of the most violent clashes with troops in the area since launching a "
                "lightning offensive last week, said the Syrian Observatory for Human Rights monitor.")
    span = find_time(sentence, TUE)
    assert span.text == "last week" and span.start <= d("2024-11-27") <= span.end
    assert "since" in span.why


def test_expression_outside_a_since_clause_wins():
    sentence = "Since the end of November, rebels have advanced; on Monday they took Hama."
    assert find_time(sentence, TUE).date == d("2024-12-02")
    times = find_all_times(sentence, TUE)
    assert [sentence[s:e] for s, e, _ in times] == ["Since the end of November", "on Monday"]


def test_only_since_clause_gives_the_span():
    sentence = "The UN says 50,000 people have been displaced since the end of November."
    span = find_time(sentence, TUE)
    assert span.end == TUE and span.precision == 2


def test_offsets_point_at_the_words():
    sentence = "Clashes erupted yesterday and again in the last few hours."
    times = find_all_times(sentence, TUE)
    assert [sentence[s:e] for s, e, _ in times] == ["yesterday", "in the last few hours"]
    assert [t.date for _, _, t in times] == [d("2024-12-02"), TUE]


def test_publication_datetime_is_read_as_its_day():
    from datetime import datetime
    assert find_time("Rebels entered Hama on Monday.", datetime(2024, 12, 3, 10, 30)).date == d("2024-12-02")


def test_weekday_and_date_together_agree():
    sentence = "On Monday, December 2, rebels entered Hama."
    assert [t.date for _, _, t in find_all_times(sentence, TUE)] == [d("2024-12-02"), d("2024-12-02")]
