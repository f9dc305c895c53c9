package app

import (
	"context"
	"time"

	"github.com/inburgering/portal/internal/auth"
	"github.com/inburgering/portal/internal/domain"
)

// DemoTokenLifetime is how long a demo bearer token is valid.
const DemoTokenLifetime = time.Hour

// PersonaLogin resolves a demo persona key to the inburgeraar it stands for.
func (s *Service) PersonaLogin(ctx context.Context, key string) (domain.Inburgeraar, error) {
	if key == "" || len(key) > 40 {
		return domain.Inburgeraar{}, domain.Invalid(domain.Violation{Field: "persona", MessageID: "error.persona_unknown"})
	}
	return s.demo.InburgeraarByPersona(ctx, key)
}

// Personas lists the seeded demo personas, for the demo login.
func (s *Service) Personas(ctx context.Context) ([]Persona, error) {
	return s.demo.Personas(ctx)
}

// DemoToken is a bearer token issued in demo mode. Only its hash is stored.
type DemoToken struct {
	AccessToken string
	ExpiresIn   time.Duration
}

// The demo staff persona: the key the demo login and POST /v2/demo-tokens know the demo DUO staff
// member by, and the stable staff ID the audit log names them by.
const (
	DemoStaffPersona = "medewerker"
	DemoStaffID      = "demo-medewerker"
)

// IssueDemoToken issues a bearer token for a seeded persona, valid for DemoTokenLifetime.
// Whether demo mode is on is the caller's check.
func (s *Service) IssueDemoToken(ctx context.Context, persona string) (DemoToken, error) {
	if persona == DemoStaffPersona {
		// The demo staff member (the portal's demo staff login), with every staff scope.
		token := auth.NewID()
		now := s.Now().UTC()
		if err := s.demo.CreateStaffAPIToken(ctx, auth.Hash(token), DemoStaffID, domain.StaffScopes, now, now.Add(DemoTokenLifetime)); err != nil {
			return DemoToken{}, err
		}
		return DemoToken{AccessToken: token, ExpiresIn: DemoTokenLifetime}, nil
	}
	i, err := s.PersonaLogin(ctx, persona)
	if err != nil {
		return DemoToken{}, err
	}
	token := auth.NewID()
	now := s.Now().UTC()
	if err := s.demo.CreateAPIToken(ctx, auth.Hash(token), i.ID, now, now.Add(DemoTokenLifetime)); err != nil {
		return DemoToken{}, err
	}
	return DemoToken{AccessToken: token, ExpiresIn: DemoTokenLifetime}, nil
}

// BSNLogin resolves the BSN proven by DigiD to the inburgeraar it belongs to. A person who is
// not known to have the obligation gets a clear answer, not an error page.
func (s *Service) BSNLogin(ctx context.Context, raw string) (domain.Inburgeraar, error) {
	bsn, err := domain.ParseBSN(raw)
	if err != nil {
		return domain.Inburgeraar{}, &domain.Error{Kind: domain.KindUnauthorized, MessageID: "error.login_failed", Err: err}
	}
	i, err := s.people.InburgeraarByBSN(ctx, bsn)
	if domain.ErrorKind(err) == domain.KindNotFound {
		return i, domain.Errorf(domain.KindNotFound, "error.no_obligation")
	}
	return i, err
}

// Profile returns inburgeraar id as registered: name and preferred language included.
func (s *Service) Profile(ctx context.Context, id int64) (domain.Inburgeraar, error) {
	return s.people.Inburgeraar(ctx, id)
}

// SetLanguage stores the inburgeraar's preferred language in their profile.
func (s *Service) SetLanguage(ctx context.Context, id int64, lang string) error {
	return s.people.SetPreferredLanguage(ctx, id, lang)
}

// Audit actions and the subjects of refused lookups. A subject is a pseudonym of a valid BSN or
// one of these markers: never the raw input.
const (
	AuditOverviewRead    = "overzicht_ingezien"
	AuditLookupRefused   = "opzoeking_geweigerd"
	AuditSubjectNoBSN    = "geen-geldig-bsn"
	auditDetailNotFound  = "niet_gevonden"
	auditDetailBSNFormat = "ongeldig_bsn"
)

// StaffLookup lets a DUO staff member read an inburgeraar's overview by BSN. staffID is the
// staff member's stable ID (the OIDC subject, or the demo staff ID), never a display name.
// Every read is written to the audit log with a pseudonym of the BSN, in the same transaction
// as the read; a refused lookup (an invalid BSN, or one nobody has) is audited too.
func (s *Service) StaffLookup(ctx context.Context, staffID, rawBSN string) (Overview, error) {
	if staffID == "" {
		return Overview{}, domain.Errorf(domain.KindForbidden, "error.forbidden")
	}
	bsn, err := domain.ParseBSN(rawBSN)
	if err != nil {
		if aerr := s.audit.AppendAudit(ctx, AuditEntry{At: s.Now().UTC(), Actor: staffID, Action: AuditLookupRefused, Subject: AuditSubjectNoBSN, Details: auditDetailBSNFormat}); aerr != nil {
			return Overview{}, aerr
		}
		return Overview{}, err
	}
	var o Overview
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		i, err := s.people.InburgeraarByBSN(ctx, bsn)
		if err != nil {
			return err
		}
		if err := s.audit.AppendAudit(ctx, AuditEntry{At: s.Now().UTC(), Actor: staffID, Action: AuditOverviewRead, Subject: s.Pseudonym(bsn)}); err != nil {
			return err
		}
		o, err = s.Overview(ctx, i.ID)
		return err
	})
	if domain.ErrorKind(err) == domain.KindNotFound {
		if aerr := s.audit.AppendAudit(ctx, AuditEntry{At: s.Now().UTC(), Actor: staffID, Action: AuditLookupRefused, Subject: s.Pseudonym(bsn), Details: auditDetailNotFound}); aerr != nil {
			return Overview{}, aerr
		}
	}
	return o, err
}
