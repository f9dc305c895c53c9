package domain

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Scope is an OAuth2 scope a language school's client may be granted (design.md §3).
type Scope string

const (
	ScopeDeclarationsWrite   Scope = "urenverklaringen:schrijven"
	ScopeContractsWrite      Scope = "contracten:schrijven"
	ScopeVerificationsAnswer Scope = "verificaties:beantwoorden"
)

// AllScopes lists every scope, in a fixed order.
var AllScopes = []Scope{ScopeDeclarationsWrite, ScopeContractsWrite, ScopeVerificationsAnswer}

// Staff scopes: what a DUO staff member's API token may do (role duo-medewerker). They are never
// granted to a school.
const (
	ScopeMedicalManage      Scope = "medische-aanvragen:beheren"
	ScopeAppointmentsManage Scope = "afspraken:beheren"
)

// StaffScopes lists every staff scope, in a fixed order.
var StaffScopes = []Scope{ScopeMedicalManage, ScopeAppointmentsManage}

// StaffScopesOf keeps, in StaffScopes order, the staff scopes named in a space-separated OAuth2
// scope string (RFC 6749 §3.3); unknown names are ignored.
func StaffScopesOf(scope string) []Scope {
	names := strings.Fields(scope)
	var out []Scope
	for _, k := range StaffScopes {
		for _, n := range names {
			if n == string(k) {
				out = append(out, k)
				break
			}
		}
	}
	return out
}

// ParseScope accepts exactly one of the known scopes.
func ParseScope(s string) (Scope, bool) {
	for _, k := range AllScopes {
		if string(k) == s {
			return k, true
		}
	}
	return "", false
}

// School is a language school (taalschool) registered as an API client. It holds the Blik op Werk
// keurmerk (domain.md §1): only while the keurmerk is valid may it obtain access tokens.
type School struct {
	ID            int64
	ClientID      string // the OAuth2 client_id, the iss and sub of its client assertions
	Name          string
	BOWNumber     string // Blik op Werk number
	KeurmerkUntil Date   // the keurmerk is valid up to and including this day
	JWKS          []byte // the public keys (a JWK Set), several for rotation
	Scopes        []Scope
	CreatedAt     time.Time
	RevokedAt     *time.Time
}

// Active reports whether the client is not revoked.
func (s School) Active() bool { return s.RevokedAt == nil }

// KeurmerkValid reports whether the keurmerk is valid on day today.
func (s School) KeurmerkValid(today Date) bool { return !today.After(s.KeurmerkUntil) }

// HasScope reports whether the school was granted scope.
func (s School) HasScope(scope Scope) bool {
	for _, g := range s.Scopes {
		if g == scope {
			return true
		}
	}
	return false
}

// Validate checks a school about to be registered; every violation is listed. Whether the JWKS
// holds usable public keys is checked by the caller that can parse keys.
func (s School) Validate() error {
	var v []Violation
	name := strings.TrimSpace(s.Name)
	if name == "" || name != s.Name || utf8.RuneCountInString(s.Name) > 200 || !utf8.ValidString(s.Name) || strings.ContainsRune(s.Name, 0) {
		v = append(v, Violation{Field: "naam", MessageID: "error.school_name"})
	}
	if !validBOW(s.BOWNumber) {
		v = append(v, Violation{Field: "bowNummer", MessageID: "error.school_bow"})
	}
	if !validClientID(s.ClientID) {
		v = append(v, Violation{Field: "clientId", MessageID: "error.school_client_id"})
	}
	if s.KeurmerkUntil.IsZero() {
		v = append(v, Violation{Field: "keurmerkGeldigTot", MessageID: "error.field_required"})
	}
	if len(s.Scopes) == 0 {
		v = append(v, Violation{Field: "scopes", MessageID: "error.field_required"})
	}
	if len(v) > 0 {
		return Invalid(v...)
	}
	return nil
}

// validBOW: a Blik op Werk number is 1 to 10 digits.
func validBOW(s string) bool {
	if len(s) < 1 || len(s) > 10 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// validClientID: 3 to 64 characters of a-z, 0-9 and '-', starting with a letter or digit.
func validClientID(s string) bool {
	if len(s) < 3 || len(s) > 64 || s[0] == '-' {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}
