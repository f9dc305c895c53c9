package app_test

import (
	"encoding/base64"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/inburgering/portal/internal/app"
	"github.com/inburgering/portal/internal/domain"
)

func TestParseCursor(t *testing.T) {
	at := time.Date(2026, 11, 29, 9, 0, 0, 123456000, time.UTC)
	good := app.BerichtCursor{CreatedAt: at, ID: 42}
	c, err := app.ParseCursor(good.String())
	if err != nil {
		t.Fatalf("ParseCursor(%q): %v", good.String(), err)
	}
	if !c.CreatedAt.Equal(at) || c.ID != 42 {
		t.Errorf("round trip: %+v, want %+v", c, good)
	}

	enc := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	bad := map[string]string{
		"empty":                "",
		"not base64":           "!!!",
		"padded":               base64.URLEncoding.EncodeToString([]byte("1.11")),
		"standard alphabet":    strings.ReplaceAll(strings.ReplaceAll(enc("1780000000000000.4242?>"), "-", "+"), "_", "/"),
		"no separator":         enc("17800000000000004242"),
		"id zero":              enc("1780000000000000.0"),
		"negative id":          enc("1780000000000000.-1"),
		"negative time":        enc("-1.1"),
		"leading zero":         enc("01780000000000000.1"),
		"plus sign":            enc("+1780000000000000.1"),
		"spaces":               enc(" 1.1"),
		"two separators":       enc("1.1.1"),
		"id beyond int64":      enc("1.9223372036854775808"),
		"time beyond int64":    enc("9223372036854775808.1"),
		"hex id":               enc("1.0x10"),
		"too long":             strings.Repeat("A", 201),
		"trailing bits":        enc("1.11")[:5] + "R", // decodes like "MS4xMQ": same bytes, other spelling
		"unicode digits":       enc("١.١"),
		"empty id":             enc("1."),
		"empty time":           enc(".1"),
		"NUL":                  enc("1.1\x00"),
		"underscore in digits": enc("1_000.1"),
	}
	for name, s := range bad {
		t.Run(name, func(t *testing.T) {
			c, err := app.ParseCursor(s)
			if err == nil {
				t.Fatalf("ParseCursor(%q) = %+v, want an error", s, c)
			}
			var de *domain.Error
			if !errors.As(err, &de) || de.Kind != domain.KindInvalid || len(de.Violations) != 1 || de.Violations[0].Field != "cursor" {
				t.Errorf("ParseCursor(%q): %v, want an invalid-input error naming cursor", s, err)
			}
		})
	}
}

// FuzzParseCursor: ParseCursor never panics, accepts only canonical tokens (one cursor, one
// spelling), and what it accepts is a cursor a page could have produced (positive id, time not
// before 1970, at most 200 characters, as openapi.yaml allows).
func FuzzParseCursor(f *testing.F) {
	for _, c := range []app.BerichtCursor{
		{CreatedAt: time.Date(2026, 11, 29, 9, 0, 0, 0, time.UTC), ID: 1},
		{CreatedAt: time.Unix(0, 0), ID: math.MaxInt64},
		{CreatedAt: time.UnixMicro(math.MaxInt64), ID: 7},
	} {
		f.Add(c.String())
	}
	for _, s := range []string{"", "MQ", "MS4x", "MS4w", "LTEuMQ", "MS4xLjE", "MS4x=", "!!!", strings.Repeat("A", 201)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := app.ParseCursor(s)
		if err != nil {
			if domain.ErrorKind(err) != domain.KindInvalid {
				t.Fatalf("ParseCursor(%q): error of kind %s, want invalid: %v", s, domain.ErrorKind(err), err)
			}
			return
		}
		if c.ID <= 0 || c.CreatedAt.Before(time.Unix(0, 0)) || len(s) > 200 {
			t.Fatalf("ParseCursor(%q) accepted %+v", s, c)
		}
		if c.CreatedAt.Location() != time.UTC {
			t.Errorf("ParseCursor(%q): time in %v, want UTC", s, c.CreatedAt.Location())
		}
		if got := c.String(); got != s {
			t.Fatalf("ParseCursor(%q) accepted a non-canonical token; canonical is %q", s, got)
		}
		again, err := app.ParseCursor(c.String())
		if err != nil || !again.CreatedAt.Equal(c.CreatedAt) || again.ID != c.ID {
			t.Fatalf("round trip of %q: %+v, %v", s, again, err)
		}
	})
}

// FuzzCursorRoundTrip: every cursor a page can produce (id ≥ 1, any instant from 1970 to the
// year 9999 at microsecond precision) parses back to itself; later instants are refused.
func FuzzCursorRoundTrip(f *testing.F) {
	f.Add(int64(0), int64(1))
	f.Add(int64(1780000000123456), int64(42))
	f.Add(int64(math.MaxInt64), int64(math.MaxInt64))
	f.Fuzz(func(t *testing.T, micros, id int64) {
		if micros < 0 || id <= 0 {
			t.Skip()
		}
		c := app.BerichtCursor{CreatedAt: time.UnixMicro(micros), ID: id}
		if c.CreatedAt.UTC().Year() > 9999 {
			if _, err := app.ParseCursor(c.String()); err == nil {
				t.Fatalf("cursor beyond the year 9999 accepted: %+v", c)
			}
			return
		}
		s := c.String()
		if len(s) > 200 {
			t.Fatalf("cursor %q longer than openapi.yaml's maxLength 200", s)
		}
		got, err := app.ParseCursor(s)
		if err != nil {
			t.Fatalf("ParseCursor(%q) for %+v: %v", s, c, err)
		}
		if !got.CreatedAt.Equal(c.CreatedAt) || got.ID != id {
			t.Fatalf("round trip %+v → %q → %+v", c, s, got)
		}
	})
}
