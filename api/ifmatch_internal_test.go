package api

import (
	"strconv"
	"strings"
	"testing"

	"github.com/inburgering/portal/internal/domain"
)

func TestStaffVersionOf(t *testing.T) {
	s := func(v string) *string { return &v }
	for _, tc := range []struct {
		in   *string
		want int64
		kind domain.Kind
	}{
		{nil, 0, domain.KindPreconditionRequired},
		{s("  "), 0, domain.KindPreconditionRequired},
		{s(`"12-3"`), 3, ""},
		{s(`"11-3", "12-4"`), 4, ""},
		{s(`*`), -1, ""},
		{s(`"13-3"`), 0, domain.KindPreconditionFailed}, // another request's tag
		{s(`W/"12-3"`), 0, domain.KindPreconditionFailed},
		{s(`"12-0"`), 0, domain.KindPreconditionFailed},
		{s(`"12--1"`), 0, domain.KindPreconditionFailed},
		{s(`"12-3`), 0, domain.KindPreconditionFailed},
		{s(`12-3`), 0, domain.KindPreconditionFailed},
		{s(`"12-3x"`), 0, domain.KindPreconditionFailed},
	} {
		got, err := staffVersionOf(tc.in, 12)
		if tc.kind != "" {
			if domain.ErrorKind(err) != tc.kind {
				t.Errorf("%v: %d, %v; want %s", tc.in, got, err, tc.kind)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("%v: %d, %v; want %d", tc.in, got, err, tc.want)
		}
	}
}

// FuzzStaffVersionOf: an If-Match header is a version of this request, any version (*), or a
// precondition error; never a panic, never a version that its entity tag does not name.
func FuzzStaffVersionOf(f *testing.F) {
	for _, s := range []string{"", "*", `"7-1"`, `"7-2", "8-3"`, `W/"7-1"`, `"7-`, `"7-9223372036854775808"`, strings.Repeat(",", 100)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, h string) {
		v, err := staffVersionOf(&h, 7)
		if err != nil {
			if k := domain.ErrorKind(err); k != domain.KindPreconditionFailed && k != domain.KindPreconditionRequired {
				t.Fatalf("%q: error of kind %s", h, k)
			}
			return
		}
		if v == -1 {
			if !strings.Contains(h, "*") {
				t.Fatalf("%q: any version without *", h)
			}
			return
		}
		if v <= 0 || !strings.Contains(h, `"7-`+strconv.FormatInt(v, 10)+`"`) {
			t.Fatalf("%q: version %d", h, v)
		}
	})
}
