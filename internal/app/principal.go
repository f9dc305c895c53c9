package app

import (
	"context"
	"slices"
	"strconv"

	"github.com/inburgering/portal/internal/domain"
)

// PrincipalKind says who acts: an inburgeraar, a DUO staff member or a language school's client.
type PrincipalKind string

const (
	PrincipalInburgeraar PrincipalKind = "inburgeraar"
	PrincipalStaff       PrincipalKind = "medewerker"
	PrincipalSchool      PrincipalKind = "school"
)

// Principal is who a request acts for, whichever face it came through. Exactly the fields of its
// kind are set.
type Principal struct {
	Kind          PrincipalKind
	InburgeraarID int64  // PrincipalInburgeraar
	StaffID       string // PrincipalStaff: the stable staff ID (OIDC subject or demo staff ID)
	SchoolID      int64  // PrincipalSchool
	ClientID      string // PrincipalSchool: the OAuth2 client_id
	Scopes        []domain.Scope
}

// InburgeraarPrincipal is the principal of a logged-in inburgeraar.
func InburgeraarPrincipal(id int64) Principal {
	return Principal{Kind: PrincipalInburgeraar, InburgeraarID: id}
}

// StaffPrincipal is the principal of a DUO staff member; an API token adds the staff scopes it
// carries (a portal session needs none: the role duo-medewerker is checked at login).
func StaffPrincipal(staffID string, scopes ...domain.Scope) Principal {
	return Principal{Kind: PrincipalStaff, StaffID: staffID, Scopes: scopes}
}

// HasScope reports whether a school or staff principal was granted scope (an inburgeraar holds
// no scopes).
func (p Principal) HasScope(s domain.Scope) bool { return slices.Contains(p.Scopes, s) }

// Actor is the principal's stable ID for the audit log: never a name or a BSN.
func (p Principal) Actor() string {
	switch p.Kind {
	case PrincipalInburgeraar:
		return "inburgeraar:" + strconv.FormatInt(p.InburgeraarID, 10)
	case PrincipalStaff:
		return p.StaffID
	case PrincipalSchool:
		return "school:" + p.ClientID
	}
	return ""
}

type principalKey struct{}

// WithPrincipal marks ctx as acting for p.
func WithPrincipal(ctx context.Context, p Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// PrincipalFrom returns who ctx acts for; false when nobody is authenticated.
func PrincipalFrom(ctx context.Context) (Principal, bool) {
	p, ok := ctx.Value(principalKey{}).(Principal)
	return p, ok && p.Kind != ""
}

// SchoolFrom returns the school principal of ctx, or unauthorized/forbidden when ctx acts for
// nobody or for someone else.
func SchoolFrom(ctx context.Context) (Principal, error) {
	p, ok := PrincipalFrom(ctx)
	if !ok {
		return p, domain.Errorf(domain.KindUnauthorized, "error.token_invalid")
	}
	if p.Kind != PrincipalSchool {
		return p, domain.Errorf(domain.KindForbidden, "error.forbidden")
	}
	return p, nil
}

// StaffFrom returns the staff principal of ctx, or unauthorized/forbidden when ctx acts for nobody
// or for someone else.
func StaffFrom(ctx context.Context) (Principal, error) {
	p, ok := PrincipalFrom(ctx)
	if !ok {
		return p, domain.Errorf(domain.KindUnauthorized, "error.token_invalid")
	}
	if p.Kind != PrincipalStaff || p.StaffID == "" {
		return p, domain.Errorf(domain.KindForbidden, "error.forbidden")
	}
	return p, nil
}
