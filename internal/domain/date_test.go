package domain

import (
	"testing"
	"time"
)

// mustDate parses an ISO date or fails the test.
func mustDate(t testing.TB, s string) Date {
	t.Helper()
	d, err := ParseDate(s)
	if err != nil {
		t.Fatalf("ParseDate(%q): %v", s, err)
	}
	return d
}

// datePtr parses an ISO date into a *Date; "" gives nil.
func datePtr(t testing.TB, s string) *Date {
	t.Helper()
	if s == "" {
		return nil
	}
	d := mustDate(t, s)
	return &d
}

// dateStr renders a *Date for comparison; nil gives "".
func dateStr(d *Date) string {
	if d == nil {
		return ""
	}
	return d.String()
}

func TestAddMonths(t *testing.T) {
	tests := []struct {
		name string
		from string
		n    int
		want string
	}{
		{"31 Aug + 6 months clamps to 28 Feb", "2022-08-31", 6, "2023-02-28"},
		{"31 Aug + 6 months clamps to 29 Feb in a leap year", "2023-08-31", 6, "2024-02-29"},
		{"31 Jan + 1 month", "2023-01-31", 1, "2023-02-28"},
		{"31 Mar + 1 month clamps to 30 Apr", "2024-03-31", 1, "2024-04-30"},
		{"mid-month unchanged day", "2023-03-15", 6, "2023-09-15"},
		{"across year end", "2023-11-30", 3, "2024-02-29"},
		{"zero months", "2024-02-29", 0, "2024-02-29"},
		{"negative months clamp", "2024-03-31", -1, "2024-02-29"},
		{"negative across year", "2024-01-15", -12, "2023-01-15"},
		{"24 months (childcare-benefit extension)", "2026-03-15", 24, "2028-03-15"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := mustDate(t, tt.from).AddMonths(tt.n); got.String() != tt.want {
				t.Errorf("%s.AddMonths(%d) = %s, want %s", tt.from, tt.n, got, tt.want)
			}
		})
	}
}

func TestAddYears(t *testing.T) {
	tests := []struct {
		name string
		from string
		n    int
		want string
	}{
		{"29 Feb + 1 year = 28 Feb", "2024-02-29", 1, "2025-02-28"},
		{"29 Feb + 3 years = 28 Feb", "2024-02-29", 3, "2027-02-28"},
		{"29 Feb + 4 years = 29 Feb", "2024-02-29", 4, "2028-02-29"},
		{"29 Feb − 1 year = 28 Feb", "2024-02-29", -1, "2023-02-28"},
		{"ordinary date + 3 years", "2023-03-15", 3, "2026-03-15"},
		{"ordinary date + 10 years", "2025-07-01", 10, "2035-07-01"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := mustDate(t, tt.from).AddYears(tt.n); got.String() != tt.want {
				t.Errorf("%s.AddYears(%d) = %s, want %s", tt.from, tt.n, got, tt.want)
			}
		})
	}
}

func TestAddDays(t *testing.T) {
	tests := []struct {
		name string
		from string
		n    int
		want string
	}{
		{"next day", "2023-03-14", 1, "2023-03-15"},
		{"into leap day", "2024-02-28", 1, "2024-02-29"},
		{"over year end", "2023-12-31", 1, "2024-01-01"},
		{"minus one", "2026-03-15", -1, "2026-03-14"},
		{"ten weeks", "2023-01-02", 70, "2023-03-13"},
		{"98 days back", "2026-03-14", -98, "2025-12-06"},
		{"over DST change stays a calendar day", "2024-03-30", 1, "2024-03-31"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := mustDate(t, tt.from).AddDays(tt.n); got.String() != tt.want {
				t.Errorf("%s.AddDays(%d) = %s, want %s", tt.from, tt.n, got, tt.want)
			}
		})
	}
}

func TestDaysUntil(t *testing.T) {
	tests := []struct {
		name     string
		from, to string
		want     int
	}{
		{"same day", "2024-05-01", "2024-05-01", 0},
		{"next day", "2024-05-01", "2024-05-02", 1},
		{"previous day", "2024-05-02", "2024-05-01", -1},
		{"leap year", "2024-01-01", "2025-01-01", 366},
		{"common year", "2023-01-01", "2024-01-01", 365},
		{"three-year term", "2023-03-15", "2026-03-14", 1095},
		{"across DST start (Europe/Amsterdam)", "2024-03-30", "2024-04-01", 2},
		{"across DST end", "2024-10-26", "2024-10-28", 2},
		{"negative over years", "2026-03-14", "2023-03-15", -1095},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := mustDate(t, tt.from).DaysUntil(mustDate(t, tt.to)); got != tt.want {
				t.Errorf("%s.DaysUntil(%s) = %d, want %d", tt.from, tt.to, got, tt.want)
			}
		})
	}
}

func TestQuarter(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"2024-01-01", "2024-01-01"},
		{"2024-02-29", "2024-01-01"},
		{"2024-03-31", "2024-01-01"},
		{"2024-04-01", "2024-04-01"},
		{"2024-06-30", "2024-04-01"},
		{"2024-07-01", "2024-07-01"},
		{"2024-09-30", "2024-07-01"},
		{"2024-10-01", "2024-10-01"},
		{"2024-12-31", "2024-10-01"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := mustDate(t, tt.in).Quarter(); got.String() != tt.want {
				t.Errorf("%s.Quarter() = %s, want %s", tt.in, got, tt.want)
			}
		})
	}
}

func TestBeforeAfter(t *testing.T) {
	tests := []struct {
		name          string
		a, b          string
		before, after bool
	}{
		{"earlier", "2024-01-01", "2024-01-02", true, false},
		{"equal", "2024-01-01", "2024-01-01", false, false},
		{"later", "2025-01-01", "2024-12-31", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := mustDate(t, tt.a), mustDate(t, tt.b)
			if got := a.Before(b); got != tt.before {
				t.Errorf("%s.Before(%s) = %v", tt.a, tt.b, got)
			}
			if got := a.After(b); got != tt.after {
				t.Errorf("%s.After(%s) = %v", tt.a, tt.b, got)
			}
		})
	}
}

func TestParseDate(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    Date
		wantErr bool
	}{
		{"ordinary", "2023-03-14", Date{2023, time.March, 14}, false},
		{"leap day", "2024-02-29", Date{2024, time.February, 29}, false},
		{"year end", "2021-12-31", Date{2021, time.December, 31}, false},
		{"no leap day in 2023", "2023-02-29", Date{}, true},
		{"day 32", "2023-01-32", Date{}, true},
		{"month 13", "2023-13-01", Date{}, true},
		{"month 00", "2023-00-10", Date{}, true},
		{"single-digit month", "2023-3-14", Date{}, true},
		{"dutch order", "14-03-2023", Date{}, true},
		{"slashes", "2023/03/14", Date{}, true},
		{"with time", "2023-03-14T00:00:00Z", Date{}, true},
		{"trailing space", "2023-03-14 ", Date{}, true},
		{"empty", "", Date{}, true},
		{"garbage", "gisteren", Date{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseDate(tt.in)
			if tt.wantErr {
				if err == nil {
					t.Fatalf("ParseDate(%q) = %v, want error", tt.in, got)
				}
				var de *Error
				if e, ok := err.(*Error); !ok || e.Kind != KindInvalid || e.MessageID != "error.date_invalid" {
					t.Errorf("error = %#v, want *Error invalid/error.date_invalid", err)
				} else {
					de = e
				}
				if de != nil && de.Unwrap() == nil {
					t.Errorf("error has no cause")
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseDate(%q): %v", tt.in, err)
			}
			if got != tt.want {
				t.Errorf("ParseDate(%q) = %+v, want %+v", tt.in, got, tt.want)
			}
			if got.String() != tt.in {
				t.Errorf("String() = %q, want %q", got.String(), tt.in)
			}
		})
	}
}

func TestNewDateNormalises(t *testing.T) {
	tests := []struct {
		name string
		got  Date
		want string
	}{
		{"30 Feb 2024", NewDate(2024, time.February, 30), "2024-03-01"},
		{"31 Apr", NewDate(2023, time.April, 31), "2023-05-01"},
		{"month 13", NewDate(2023, 13, 1), "2024-01-01"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got.String() != tt.want {
				t.Errorf("got %s, want %s", tt.got, tt.want)
			}
		})
	}
}

func TestToday(t *testing.T) {
	tests := []struct {
		name string
		now  time.Time
		want string
	}{
		{"late evening UTC in winter is the next day in Amsterdam", time.Date(2024, 1, 1, 23, 30, 0, 0, time.UTC), "2024-01-02"},
		{"late evening UTC in summer is the next day in Amsterdam", time.Date(2024, 7, 1, 22, 30, 0, 0, time.UTC), "2024-07-02"},
		{"morning UTC is the same day", time.Date(2024, 7, 1, 8, 0, 0, 0, time.UTC), "2024-07-01"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Today(tt.now); got.String() != tt.want {
				t.Errorf("Today(%v) = %s, want %s", tt.now, got, tt.want)
			}
		})
	}
}

func TestIsZero(t *testing.T) {
	if !(Date{}).IsZero() {
		t.Error("Date{}.IsZero() = false")
	}
	if NewDate(2024, 1, 1).IsZero() {
		t.Error("2024-01-01 IsZero() = true")
	}
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2023-03-14", "2024-02-29", "2023-02-29", "0000-01-01", "9999-12-31", "2023-3-14", "", "2023-03-14T00:00:00Z", "+2023-03-14"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s) // must not panic
		if err != nil {
			if !d.IsZero() {
				t.Fatalf("ParseDate(%q) returned %v with error", s, d)
			}
			if ErrorKind(err) != KindInvalid {
				t.Fatalf("ParseDate(%q) error kind %q", s, ErrorKind(err))
			}
			return
		}
		if got := d.String(); got != s {
			t.Fatalf("ParseDate(%q).String() = %q, does not round-trip", s, got)
		}
		if again, err := ParseDate(d.String()); err != nil || again != d {
			t.Fatalf("re-parse of %q = %v, %v", d.String(), again, err)
		}
		// Arithmetic on an accepted date must not panic either.
		_ = d.AddMonths(6).AddYears(3).AddDays(-1).Quarter()
	})
}

func TestBerichtReplyPassed(t *testing.T) {
	b := Bericht{Params: map[string]string{"Reactiedatum": "2026-12-13"}}
	for _, tt := range []struct {
		today  Date
		passed bool
	}{
		{NewDate(2026, 11, 29), false},
		{NewDate(2026, 12, 13), false}, // the reply date itself still counts
		{NewDate(2026, 12, 14), true},
	} {
		if got := b.ReplyPassed(tt.today); got != tt.passed {
			t.Errorf("ReplyPassed(%s) = %v, want %v", tt.today, got, tt.passed)
		}
	}
	if (Bericht{Params: map[string]string{}}).ReplyPassed(NewDate(2030, 1, 1)) {
		t.Error("a letter without a reply date has passed nothing")
	}
	if _, ok := (Bericht{Params: map[string]string{"Reactiedatum": "13-12-2026"}}).ReplyDate(); ok {
		t.Error("a malformed reply date is no reply date")
	}
}
