package domain

import (
	"strings"
	"testing"
	"time"
)

func TestParseEmail(t *testing.T) {
	long := strings.Repeat("a", 250) + "@b.nl"
	for _, tc := range []struct {
		in, want, msg string
	}{
		{"naam@voorbeeld.nl", "naam@voorbeeld.nl", ""},
		{"  Naam.Achternaam+duo@Voorbeeld.NL ", "Naam.Achternaam+duo@voorbeeld.nl", ""},
		{"", "", "error.email_required"},
		{"   ", "", "error.email_required"},
		{"naam", "", "error.email_invalid"},
		{"naam@", "", "error.email_invalid"},
		{"@voorbeeld.nl", "", "error.email_invalid"},
		{"naam@localhost", "", "error.email_invalid"},
		{"naam@.nl", "", "error.email_invalid"},
		{"naam@voorbeeld.nl.", "", "error.email_invalid"},
		{"naam@voorbeeld..nl", "", "error.email_invalid"},
		{"Naam <naam@voorbeeld.nl>", "", "error.email_invalid"},
		{"naam@voorbeeld.nl, ander@voorbeeld.nl", "", "error.email_invalid"},
		{"naam@[127.0.0.1]", "", "error.email_invalid"},
		{"na am@voorbeeld.nl", "", "error.email_invalid"},
		{"naam@voorbeeld.nl\r\nBcc: x@y.nl", "", "error.email_invalid"},
		{long, "", "error.field_too_long"},
	} {
		got, err := ParseEmail(tc.in)
		if tc.msg == "" {
			if err != nil || got != tc.want {
				t.Errorf("ParseEmail(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
			}
			continue
		}
		var de *Error
		if err == nil || !emailError(err, &de) || len(de.Violations) != 1 || de.Violations[0].MessageID != tc.msg || de.Violations[0].Field != "email" {
			t.Errorf("ParseEmail(%q) = %q, %v; want %s", tc.in, got, err, tc.msg)
		}
	}
}

func emailError(err error, target **Error) bool {
	e, ok := err.(*Error)
	if ok {
		*target = e
	}
	return ok && len(e.Violations) > 0
}

func TestParseEmailKeuze(t *testing.T) {
	for _, tc := range []struct {
		adres, consent string
		want           EmailVoorkeur
		msg            string
	}{
		{"naam@voorbeeld.nl", "ja", EmailVoorkeur{Adres: "naam@voorbeeld.nl", Toestemming: true}, ""},
		{"naam@voorbeeld.nl", "", EmailVoorkeur{Adres: "naam@voorbeeld.nl"}, ""},
		{"", "", EmailVoorkeur{}, ""}, // removes the address
		{"", "ja", EmailVoorkeur{}, "error.email_required"},
		{"geen-adres", "ja", EmailVoorkeur{}, "error.email_invalid"},
		{"naam@voorbeeld.nl", "misschien", EmailVoorkeur{}, "error.bad_request"},
	} {
		got, err := ParseEmailKeuze(tc.adres, tc.consent)
		var de *Error
		switch {
		case tc.msg == "" && (err != nil || got != tc.want):
			t.Errorf("ParseEmailKeuze(%q, %q) = %+v, %v", tc.adres, tc.consent, got, err)
		case tc.msg != "" && (!emailError(err, &de) || de.Violations[0].MessageID != tc.msg):
			t.Errorf("ParseEmailKeuze(%q, %q): %v, want %s", tc.adres, tc.consent, err, tc.msg)
		}
	}
}

func TestEmailMayMail(t *testing.T) {
	at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		v    EmailVoorkeur
		want bool
	}{
		{EmailVoorkeur{Adres: "a@b.nl", Toestemming: true, Geverifieerd: &at}, true},
		{EmailVoorkeur{Adres: "a@b.nl", Toestemming: true}, false},   // not verified
		{EmailVoorkeur{Adres: "a@b.nl", Geverifieerd: &at}, false},   // no consent
		{EmailVoorkeur{Toestemming: true, Geverifieerd: &at}, false}, // no address
	} {
		if got := tc.v.MayMail(); got != tc.want {
			t.Errorf("%+v: MayMail = %v", tc.v, got)
		}
	}
}

// FuzzParseEmail: whatever comes in, an accepted address is a bare, bounded addr-spec without
// line breaks or angle brackets, and parsing it again gives it back.
func FuzzParseEmail(f *testing.F) {
	for _, s := range []string{"naam@voorbeeld.nl", "a@b.c", "Naam <a@b.nl>", "a@b.nl\r\nBcc: c@d.nl", "\"q u\"@b.nl", "a@[1.2.3.4]", "ü@ü.nl", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseEmail(s)
		if err != nil {
			return
		}
		if len(got) > MaxEmailLength || strings.ContainsAny(got, "\r\n<> \"") || strings.Count(got, "@") < 1 {
			t.Fatalf("ParseEmail(%q) accepted %q", s, got)
		}
		if again, err := ParseEmail(got); err != nil || again != got {
			t.Fatalf("ParseEmail(%q) = %q, then %q, %v", s, got, again, err)
		}
	})
}
