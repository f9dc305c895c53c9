package store

import (
	"context"
	"time"

	"github.com/inburgering/portal/internal/app"
	"github.com/inburgering/portal/internal/domain"
)

type evidenceRow struct {
	ID               int64 `gorm:"primaryKey"`
	UrenverklaringID int64
	Soort            string
	Mediatype        string
	Grootte          int64
	Sha256           string `gorm:"column:sha256"`
	Toelichting      string
	OntvangenOp      time.Time
}

func (evidenceRow) TableName() string { return "bewijsstukken" }

type evidenceContentRow struct {
	BewijsstukID int64 `gorm:"primaryKey;autoIncrement:false"`
	Inhoud       []byte
}

func (evidenceContentRow) TableName() string { return "bewijsstuk_inhoud" }

type decisionRow struct {
	ID               int64 `gorm:"primaryKey"`
	UrenverklaringID int64
	Besluit          string
	Reden            string
	Medewerker       string
	GenomenOp        time.Time
}

func (decisionRow) TableName() string { return "urenverklaring_besluiten" }

func (r evidenceRow) app() app.Evidence {
	return app.Evidence{ID: r.ID, DeclarationID: r.UrenverklaringID, Kind: app.EvidenceKind(r.Soort), MediaType: r.Mediatype,
		Size: r.Grootte, SHA256: r.Sha256, Note: r.Toelichting, ReceivedAt: r.OntvangenOp.UTC()}
}

// AddEvidence implements app.EvidenceStore: the metadata and the bytes in ctx's transaction.
// Neither SQLite's pure-Go driver nor pgx's database/sql driver takes a blob parameter as a
// stream: the content goes as one []byte.
func (s *Store) AddEvidence(ctx context.Context, e *app.Evidence, content []byte) error {
	return s.InTx(ctx, func(ctx context.Context) error {
		row := evidenceRow{UrenverklaringID: e.DeclarationID, Soort: string(e.Kind), Mediatype: e.MediaType, Grootte: e.Size,
			Sha256: e.SHA256, Toelichting: e.Note, OntvangenOp: e.ReceivedAt.UTC()}
		if err := s.q(ctx).Create(&row).Error; err != nil {
			return wrap(err, "")
		}
		if err := s.q(ctx).Create(&evidenceContentRow{BewijsstukID: row.ID, Inhoud: content}).Error; err != nil {
			return wrap(err, "")
		}
		e.ID = row.ID
		return nil
	})
}

// EvidenceOf implements app.EvidenceStore.
func (s *Store) EvidenceOf(ctx context.Context, declarationID int64) ([]app.Evidence, error) {
	var rows []evidenceRow
	if err := s.q(ctx).Where("urenverklaring_id = ?", declarationID).Order("id").Find(&rows).Error; err != nil {
		return nil, wrap(err, "")
	}
	out := make([]app.Evidence, len(rows))
	for i, r := range rows {
		out[i] = r.app()
	}
	return out, nil
}

// EvidenceContent implements app.EvidenceStore.
func (s *Store) EvidenceContent(ctx context.Context, declarationID, evidenceID int64) (app.Evidence, []byte, error) {
	var row evidenceRow
	if err := s.q(ctx).Where("id = ? AND urenverklaring_id = ?", evidenceID, declarationID).Take(&row).Error; err != nil {
		return app.Evidence{}, nil, wrap(err, "error.evidence_not_found")
	}
	var c evidenceContentRow
	if err := s.q(ctx).Where("bewijsstuk_id = ?", row.ID).Take(&c).Error; err != nil {
		return app.Evidence{}, nil, wrap(err, "error.evidence_not_found")
	}
	return row.app(), c.Inhoud, nil
}

// AddDecision implements app.EvidenceStore.
func (s *Store) AddDecision(ctx context.Context, d app.Decision) error {
	return wrap(s.q(ctx).Create(&decisionRow{UrenverklaringID: d.DeclarationID, Besluit: string(d.Event), Reden: d.Reason,
		Medewerker: d.StaffID, GenomenOp: d.At.UTC()}).Error, "")
}

// DecisionsOf implements app.EvidenceStore.
func (s *Store) DecisionsOf(ctx context.Context, declarationID int64) ([]app.Decision, error) {
	var rows []decisionRow
	if err := s.q(ctx).Where("urenverklaring_id = ?", declarationID).Order("id").Find(&rows).Error; err != nil {
		return nil, wrap(err, "")
	}
	out := make([]app.Decision, len(rows))
	for i, r := range rows {
		out[i] = app.Decision{DeclarationID: r.UrenverklaringID, Event: domain.DeclarationEvent(r.Besluit), Reason: r.Reden, StaffID: r.Medewerker, At: r.GenomenOp.UTC()}
	}
	return out, nil
}

// ReviewQueue implements app.EvidenceStore: evidence received (no deadline, waiting for staff)
// first, oldest first; then the intents to refuse by the end of their response period.
func (s *Store) ReviewQueue(ctx context.Context, limit int) ([]domain.Declaration, error) {
	var rows []declarationRow
	err := s.q(ctx).Where("status IN ?", []string{string(domain.DeclarationEvidenceReceived), string(domain.DeclarationIntentToRefuse)}).
		Order("CASE WHEN termijn_tot IS NULL THEN 0 ELSE 1 END, termijn_tot, id").Limit(limit).Find(&rows).Error
	if err != nil {
		return nil, wrap(err, "")
	}
	return s.declarationsOf(ctx, rows)
}

// SchoolName implements app.EvidenceStore.
func (s *Store) SchoolName(ctx context.Context, id int64) (string, error) {
	var names []string
	if err := s.q(ctx).Table("scholen").Where("id = ?", id).Limit(1).Pluck("naam", &names).Error; err != nil {
		return "", wrap(err, "")
	}
	if len(names) == 0 {
		return "", domain.Errorf(domain.KindNotFound, "error.not_found")
	}
	return names[0], nil
}

// RevokeExemption implements app.EvidenceStore.
func (s *Store) RevokeExemption(ctx context.Context, inburgeraarID int64) (bool, error) {
	res := s.q(ctx).Model(&inburgeraarRow{}).Where("id = ? AND ontheffing_op IS NOT NULL", inburgeraarID).Update("ontheffing_op", nil)
	return res.RowsAffected > 0, wrap(res.Error, "")
}
