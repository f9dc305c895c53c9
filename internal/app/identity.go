package app

import (
	"context"

	"github.com/inburgering/portal/internal/domain"
)

// PersonaLogin resolves a demo persona key to the inburgeraar it stands for.
func (s *Service) PersonaLogin(ctx context.Context, key string) (domain.Inburgeraar, error) {
	if key == "" || len(key) > 40 {
		return domain.Inburgeraar{}, domain.Invalid(domain.Violation{Field: "persona", MessageID: "error.persona_unknown"})
	}
	return s.Repo.InburgeraarByPersona(ctx, key)
}

// BSNLogin resolves the BSN proven by DigiD to the inburgeraar it belongs to. A person who is
// not known to have the obligation gets a clear answer, not an error page.
func (s *Service) BSNLogin(ctx context.Context, raw string) (domain.Inburgeraar, error) {
	bsn, err := domain.ParseBSN(raw)
	if err != nil {
		return domain.Inburgeraar{}, &domain.Error{Kind: domain.KindUnauthorized, MessageID: "error.login_failed", Err: err}
	}
	i, err := s.Repo.InburgeraarByBSN(ctx, bsn)
	if domain.ErrorKind(err) == domain.KindNotFound {
		return i, domain.Errorf(domain.KindNotFound, "error.no_obligation")
	}
	return i, err
}

// SetLanguage stores the inburgeraar's preferred language in their profile.
func (s *Service) SetLanguage(ctx context.Context, id int64, lang string) error {
	return s.Repo.SetPreferredLanguage(ctx, id, lang)
}

// StaffLookup lets a DUO staff member read an inburgeraar's overview by BSN. Every read is written
// to the audit log with a pseudonym of the BSN, in the same transaction as the read.
func (s *Service) StaffLookup(ctx context.Context, staff, rawBSN string) (Overview, error) {
	bsn, err := domain.ParseBSN(rawBSN)
	if err != nil {
		return Overview{}, err
	}
	var o Overview
	err = s.Repo.InTx(ctx, func(r Repository) error {
		i, err := r.InburgeraarByBSN(ctx, bsn)
		if err != nil {
			return err
		}
		if err := r.AppendAudit(ctx, AuditEntry{At: s.Now().UTC(), Actor: staff, Action: "overzicht_ingezien", Subject: s.Pseudonym(bsn)}); err != nil {
			return err
		}
		tx := *s
		tx.Repo = r
		o, err = tx.Overview(ctx, i.ID)
		return err
	})
	return o, err
}
