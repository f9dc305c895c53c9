package domain

import (
	"fmt"
	"time"
	_ "time/tzdata" // "today" is the Amsterdam date even on a machine without time zone data
)

// Date is a calendar date without a time of day or zone. Dates in this domain are
// calendar dates in Europe/Amsterdam (domain.md §12); a Date never shifts with a zone.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// NewDate normalises year, month and day into a Date (2024-02-30 becomes 2024-03-01).
func NewDate(year int, month time.Month, day int) Date {
	return DateOf(time.Date(year, month, day, 0, 0, 0, 0, time.UTC))
}

// DateOf returns the calendar date of t in t's own location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// amsterdam is Europe/Amsterdam, from the embedded time zone database when the machine has none.
// A fixed offset would be wrong for half the year, so a failure here is a build error, not a fallback.
var amsterdam = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		panic("domain: Europe/Amsterdam missing from the embedded time zone database: " + err.Error())
	}
	return loc
}()

// Today returns the calendar date of now in Europe/Amsterdam.
func Today(now time.Time) Date { return DateOf(now.In(amsterdam)) }

// Start is the first instant of day d in Europe/Amsterdam (23:00 or 22:00 UTC the day before):
// the moment Today turns to d. A job that must run once a day is over runs then, not at UTC
// midnight, which leaves the first hour or two of the Dutch day to the old state.
func (d Date) Start() time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, amsterdam) }

// ParseDate parses an ISO 8601 calendar date (YYYY-MM-DD).
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, &Error{Kind: KindInvalid, MessageID: "error.date_invalid", Err: err}
	}
	return DateOf(t), nil
}

// Time returns midnight UTC of d, for storage and arithmetic.
func (d Date) Time() time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC) }

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d.Year == 0 && d.Month == 0 && d.Day == 0 }

func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day) }

// AddDays returns d plus n days (n may be negative).
func (d Date) AddDays(n int) Date { return DateOf(d.Time().AddDate(0, 0, n)) }

// AddMonths returns d plus n months. A day that does not exist in the target month is
// clamped to the month's last day (31 Aug + 6 months = 28/29 Feb), as in law.
func (d Date) AddMonths(n int) Date {
	first := time.Date(d.Year, d.Month, 1, 0, 0, 0, 0, time.UTC).AddDate(0, n, 0)
	last := first.AddDate(0, 1, -1).Day()
	day := d.Day
	if day > last {
		day = last
	}
	return Date{first.Year(), first.Month(), day}
}

// AddYears returns d plus n years (29 Feb + 1 year = 28 Feb).
func (d Date) AddYears(n int) Date { return d.AddMonths(12 * n) }

// Before reports whether d is before o.
func (d Date) Before(o Date) bool { return d.Time().Before(o.Time()) }

// After reports whether d is after o.
func (d Date) After(o Date) bool { return d.Time().After(o.Time()) }

// DaysUntil returns the number of days from d to o (negative when o is before d).
func (d Date) DaysUntil(o Date) int { return int(o.Time().Sub(d.Time()).Hours() / 24) }

// Quarter returns the first day of d's calendar quarter.
func (d Date) Quarter() Date {
	m := time.Month((int(d.Month)-1)/3*3 + 1)
	return Date{d.Year, m, 1}
}
