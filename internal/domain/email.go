package domain

import (
	"net/mail"
	"strings"
	"time"
)

// MaxEmailLength bounds an e-mail address (RFC 5321's path limit).
const MaxEmailLength = 254

// EmailVerificationValidity is how long a verification link stays usable. [assume] No DUO rule:
// two days, so a link read after a weekend's first day still works.
const EmailVerificationValidity = 48 * time.Hour

// ParseEmail reads an address a person gives for notifications: a bare addr-spec
// (name@domain.tld), at most MaxEmailLength characters, without a display name or comments.
// The domain part is lower-cased; the local part is kept as given.
func ParseEmail(raw string) (string, error) {
	bad := Invalid(Violation{Field: "email", MessageID: "error.email_invalid"})
	s := strings.TrimSpace(raw)
	if s == "" {
		return "", Invalid(Violation{Field: "email", MessageID: "error.email_required"})
	}
	if len(s) > MaxEmailLength {
		return "", Invalid(Violation{Field: "email", MessageID: "error.field_too_long", Params: map[string]any{"Count": MaxEmailLength}})
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || a.Address != s {
		return "", bad
	}
	local, host, ok := strings.Cut(s, "@")
	if !ok || local == "" || strings.ContainsAny(s, " \t\r\n<>\"") || !strings.Contains(host, ".") ||
		strings.HasPrefix(host, ".") || strings.HasSuffix(host, ".") || strings.Contains(host, "..") || strings.HasPrefix(host, "[") {
		return "", bad
	}
	return local + "@" + strings.ToLower(host), nil
}

// EmailVoorkeur is the e-mail address a person chose to give for notifications and whether they
// want to be mailed. An address is used only once it is verified and only with consent.
type EmailVoorkeur struct {
	Adres        string
	Toestemming  bool       // consent to an e-mail when a new portal message arrives
	Geverifieerd *time.Time // when the address was verified; nil until then
}

// MayMail reports whether a notification may be sent: a verified address and consent.
func (e EmailVoorkeur) MayMail() bool {
	return e.Adres != "" && e.Geverifieerd != nil && e.Toestemming
}

// ParseEmailKeuze reads the e-mail form: the address and the consent box ("ja" when ticked).
// Consent needs an address; an empty address with no consent removes the address.
func ParseEmailKeuze(rawAdres, consent string) (EmailVoorkeur, error) {
	var v EmailVoorkeur
	switch consent {
	case "ja":
		v.Toestemming = true
	case "":
	default:
		return v, Invalid(Violation{Field: "toestemming", MessageID: "error.bad_request"})
	}
	if strings.TrimSpace(rawAdres) == "" && !v.Toestemming {
		return v, nil
	}
	a, err := ParseEmail(rawAdres)
	if err != nil {
		return v, err
	}
	v.Adres = a
	return v, nil
}
