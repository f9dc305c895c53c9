package domain

import (
	"errors"
	"testing"
)

func TestParseBSN(t *testing.T) {
	tests := []struct {
		name      string
		in        string
		wantErr   bool
		messageID string // the violation's message ID when wantErr
	}{
		{"valid 111222333", "111222333", false, ""},
		{"valid 123456782", "123456782", false, ""},
		{"valid 999999990", "999999990", false, ""},
		{"too short", "12345678", true, "error.bsn_length"},
		{"too long", "1234567820", true, "error.bsn_length"},
		{"empty", "", true, "error.bsn_length"},
		{"letters", "12345678a", true, "error.bsn_digits"},
		{"letter in front", "a23456782", true, "error.bsn_digits"},
		{"minus sign", "-23456782", true, "error.bsn_digits"},
		{"failing eleven-test", "123456789", true, "error.bsn_elfproef"},
		{"failing eleven-test last digit off by one", "111222334", true, "error.bsn_elfproef"},
		{"all zeros", "000000000", true, "error.bsn_elfproef"},
		{"only last digit (negative sum)", "000000009", true, "error.bsn_elfproef"},
		{"weighted sum exactly zero", "000000309", true, "error.bsn_elfproef"},
		{"weighted sum 11 with leading zeros", "000000061", false, ""},
		{"leading space", " 11222333", true, "error.bsn_digits"},
		{"trailing space", "111222333 ", true, "error.bsn_length"},
		{"inner space", "111 22333", true, "error.bsn_digits"},
		{"dots", "111.222.333", true, "error.bsn_length"},
		{"non-ASCII digits (Arabic-Indic, 9 runes)", "١١١٢٢٢٣٣٣", true, "error.bsn_length"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseBSN(tt.in)
			if tt.wantErr {
				if err == nil {
					t.Fatalf("ParseBSN(%q) = %q, want error", tt.in, got)
				}
				if got != "" {
					t.Errorf("ParseBSN(%q) returned %q with an error, want empty", tt.in, got)
				}
				var de *Error
				if !errors.As(err, &de) {
					t.Fatalf("error %T is not *Error", err)
				}
				if de.Kind != KindInvalid {
					t.Errorf("kind = %q, want %q", de.Kind, KindInvalid)
				}
				if len(de.Violations) != 1 || de.Violations[0].Field != "bsn" || de.Violations[0].MessageID != tt.messageID {
					t.Errorf("violations = %+v, want one on field bsn with %q", de.Violations, tt.messageID)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseBSN(%q): %v", tt.in, err)
			}
			if string(got) != tt.in {
				t.Errorf("ParseBSN(%q) = %q", tt.in, got)
			}
		})
	}
}

func TestBSNMasked(t *testing.T) {
	tests := []struct {
		name string
		in   BSN
		want string
	}{
		{"valid", "111222333", "******333"},
		{"other valid", "123456782", "******782"},
		{"empty", "", "*********"},
		{"too short", "12345", "*********"},
		{"too long", "1234567890", "*********"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.in.Masked(); got != tt.want {
				t.Errorf("BSN(%q).Masked() = %q, want %q", string(tt.in), got, tt.want)
			}
		})
	}
}

// elevenTest is an independent implementation of the eleven-test (11-proef, domain.md §12) as
// ParseBSN documents it: S = 9·d1 + 8·d2 + 7·d3 + 6·d4 + 5·d5 + 4·d6 + 3·d7 + 2·d8 − 1·d9 must be a
// multiple of 11 and not zero. "Not zero" rejects 000000000 and the few tiny numbers whose weighted
// sum is exactly 0 (e.g. 000000309: 3·3 − 9 = 0), none of which is an issued BSN.
func elevenTest(s string) bool {
	if len(s) != 9 {
		return false
	}
	weights := [9]int{9, 8, 7, 6, 5, 4, 3, 2, -1}
	sum := 0
	for i, r := range []byte(s) {
		if r < '0' || r > '9' {
			return false
		}
		sum += weights[i] * int(r-'0')
	}
	return sum != 0 && sum%11 == 0
}

func TestElevenTestHelper(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want bool
	}{{"111222333", true}, {"123456782", true}, {"123456789", false}, {"000000000", false}, {"000000309", false}, {"12345678", false}} {
		if got := elevenTest(tt.in); got != tt.want {
			t.Errorf("elevenTest(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func FuzzParseBSN(f *testing.F) {
	for _, s := range []string{"111222333", "123456782", "000000000", "123456789", "12345678a", "", " 11222333", "١١١٢٢٢٣٣٣", "999999990", "000000309", "000000061"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseBSN(s) // must not panic
		accepted := err == nil
		if accepted != elevenTest(s) {
			t.Fatalf("ParseBSN(%q) accepted=%v, independent eleven-test says %v (err=%v)", s, accepted, elevenTest(s), err)
		}
		if !accepted {
			if got != "" {
				t.Fatalf("ParseBSN(%q) returned %q with error", s, got)
			}
			return
		}
		if len(got) != 9 || string(got) != s {
			t.Fatalf("ParseBSN(%q) = %q", s, got)
		}
		for i := 0; i < len(got); i++ {
			if got[i] < '0' || got[i] > '9' {
				t.Fatalf("accepted BSN %q has non-digit at %d", got, i)
			}
		}
		if m := got.Masked(); len(m) != 9 || m[6:] != s[6:] {
			t.Fatalf("Masked(%q) = %q", got, m)
		}
	})
}
