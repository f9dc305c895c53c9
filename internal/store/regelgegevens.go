package store

import (
	"context"
	"time"

	"gorm.io/gorm/clause"

	"github.com/inburgering/portal/internal/app"
	"github.com/inburgering/portal/internal/domain"
)

var _ app.RuleFactStore = (*Store)(nil)

type regelgegevensRow struct {
	InburgeraarID              int64 `gorm:"primaryKey;autoIncrement:false"`
	BrpInschrijfdatum          *time.Time
	WachtOpDerden              bool
	TermijnEinddatumGemeente   *time.Time
	KeurmerkUren               int
	Examenpogingen             *string
	OpenOnderdelenEindeTermijn *int
	GezinslidAsielstatushouder bool
}

func (regelgegevensRow) TableName() string { return "regelgegevens" }

type boeteRow struct {
	ID            int64 `gorm:"primaryKey"`
	InburgeraarID int64
	Besluitdatum  time.Time
	BedragCenten  int64
	Kenmerk       string
}

func (boeteRow) TableName() string { return "boetes" }

// RuleFacts implements app.RuleFactStore: zero facts when none are stored.
func (s *Store) RuleFacts(ctx context.Context, id int64) (domain.RuleFacts, error) {
	var rows []regelgegevensRow
	if err := s.q(ctx).Where("inburgeraar_id = ?", id).Limit(1).Find(&rows).Error; err != nil {
		return domain.RuleFacts{}, wrap(err, "")
	}
	if len(rows) == 0 {
		return domain.RuleFacts{}, nil
	}
	r := rows[0]
	f := domain.RuleFacts{
		BRPRegistration: datePtr(r.BrpInschrijfdatum), ThirdPartyAwaited: r.WachtOpDerden,
		GemeenteTermEnd: datePtr(r.TermijnEinddatumGemeente), KeurmerkHours: r.KeurmerkUren,
		OpenPartsAtTermEnd: r.OpenOnderdelenEindeTermijn, AsylumFamilyMember: r.GezinslidAsielstatushouder,
	}
	if r.Examenpogingen != nil {
		f.Attempts = domain.FineAttempts(*r.Examenpogingen)
	}
	return f, nil
}

// SetRuleFacts implements app.RuleFactStore (insert or replace).
func (s *Store) SetRuleFacts(ctx context.Context, id int64, f domain.RuleFacts) error {
	row := regelgegevensRow{
		InburgeraarID: id, BrpInschrijfdatum: timePtr(f.BRPRegistration), WachtOpDerden: f.ThirdPartyAwaited,
		TermijnEinddatumGemeente: timePtr(f.GemeenteTermEnd), KeurmerkUren: f.KeurmerkHours, OpenOnderdelenEindeTermijn: f.OpenPartsAtTermEnd,
		GezinslidAsielstatushouder: f.AsylumFamilyMember,
	}
	if f.Attempts != "" {
		a := string(f.Attempts)
		row.Examenpogingen = &a
	}
	return wrap(s.q(ctx).Clauses(clause.OnConflict{UpdateAll: true}).Create(&row).Error, "")
}

// FineDecisions implements app.RuleFactStore, oldest first.
func (s *Store) FineDecisions(ctx context.Context, id int64) ([]domain.FineDecision, error) {
	var rows []boeteRow
	if err := s.q(ctx).Where("inburgeraar_id = ?", id).Order("besluitdatum, id").Find(&rows).Error; err != nil {
		return nil, wrap(err, "")
	}
	out := make([]domain.FineDecision, len(rows))
	for i, r := range rows {
		out[i] = domain.FineDecision{Date: dateOf(r.Besluitdatum), Amount: domain.Cents(r.BedragCenten), Reference: r.Kenmerk}
	}
	return out, nil
}

// AddFineDecision implements app.RuleFactStore.
func (s *Store) AddFineDecision(ctx context.Context, id int64, d domain.FineDecision) error {
	return wrap(s.q(ctx).Create(&boeteRow{InburgeraarID: id, Besluitdatum: d.Date.Time(), BedragCenten: int64(d.Amount), Kenmerk: d.Reference}).Error, "")
}
