package app_test

import (
	"math"
	"strings"
	"testing"

	"github.com/inburgering/portal/internal/app"
	"github.com/inburgering/portal/internal/domain"
)

func TestParseMedicalCursor(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int64 // 0: invalid
	}{
		{app.MedicalCursor{ID: 1}.String(), 1},
		{app.MedicalCursor{ID: 42}.String(), 42},
		{app.MedicalCursor{ID: math.MaxInt64}.String(), math.MaxInt64},
		{"", 0},
		{"MA", 0},   // "0"
		{"LTE", 0},  // "-1"
		{"MDE", 0},  // "01": not canonical
		{"MQ==", 0}, // padded
		{"KzE", 0},  // "+1"
		{"!!!", 0},  // not base64url
		{"YWJj", 0}, // "abc"
		{strings.Repeat("M", 201), 0},
	} {
		c, err := app.ParseMedicalCursor(tc.in)
		switch {
		case tc.want == 0 && (err == nil || domain.ErrorKind(err) != domain.KindInvalid):
			t.Errorf("%q: %+v, %v; want invalid", tc.in, c, err)
		case tc.want != 0 && (err != nil || c.ID != tc.want):
			t.Errorf("%q: %+v, %v; want %d", tc.in, c, err, tc.want)
		}
	}
}

// FuzzParseMedicalCursor: a cursor from the query string is either invalid input or the one
// canonical spelling of a positive id.
func FuzzParseMedicalCursor(f *testing.F) {
	for _, s := range []string{app.MedicalCursor{ID: 1}.String(), app.MedicalCursor{ID: math.MaxInt64}.String(), "", "MA", "LTE", "MDE", "MQ==", "!!!", strings.Repeat("A", 201)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := app.ParseMedicalCursor(s)
		if err != nil {
			if domain.ErrorKind(err) != domain.KindInvalid {
				t.Fatalf("ParseMedicalCursor(%q): error of kind %s, want invalid", s, domain.ErrorKind(err))
			}
			return
		}
		if c.ID <= 0 || c.String() != s {
			t.Fatalf("ParseMedicalCursor(%q) accepted %+v", s, c)
		}
	})
}
