package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/inburgering/portal/internal/domain"
)

type schoolRow struct {
	ID                int64 `gorm:"primaryKey"`
	ClientID          string
	Naam              string
	BowNummer         string
	KeurmerkGeldigTot time.Time
	Jwks              string
	Scopes            string
	AangemaaktOp      time.Time
	IngetrokkenOp     *time.Time
}

func (schoolRow) TableName() string { return "scholen" }

type schoolAssertionRow struct {
	ClientID   string `gorm:"primaryKey"`
	Jti        string `gorm:"primaryKey"`
	VerlooptOp time.Time
}

func (schoolAssertionRow) TableName() string { return "school_assertions" }

func (r schoolRow) domain() (domain.School, error) {
	s := domain.School{
		ID: r.ID, ClientID: r.ClientID, Name: r.Naam, BOWNumber: r.BowNummer, KeurmerkUntil: dateOf(r.KeurmerkGeldigTot),
		JWKS: []byte(r.Jwks), CreatedAt: r.AangemaaktOp.UTC(), RevokedAt: r.IngetrokkenOp,
	}
	for _, f := range strings.Fields(r.Scopes) {
		sc, ok := domain.ParseScope(f)
		if !ok {
			return domain.School{}, fmt.Errorf("school %d: scope %q", r.ID, f)
		}
		s.Scopes = append(s.Scopes, sc)
	}
	return s, nil
}

// CreateSchool implements app.SchoolStore.
func (s *Store) CreateSchool(ctx context.Context, sc *domain.School) error {
	scopes := make([]string, len(sc.Scopes))
	for i, x := range sc.Scopes {
		scopes[i] = string(x)
	}
	row := schoolRow{
		ClientID: sc.ClientID, Naam: sc.Name, BowNummer: sc.BOWNumber, KeurmerkGeldigTot: sc.KeurmerkUntil.Time(),
		Jwks: string(sc.JWKS), Scopes: strings.Join(scopes, " "), AangemaaktOp: sc.CreatedAt.UTC(),
	}
	if err := s.q(ctx).Create(&row).Error; err != nil {
		return wrap(err, "")
	}
	sc.ID = row.ID
	return nil
}

// Schools implements app.SchoolStore.
func (s *Store) Schools(ctx context.Context) ([]domain.School, error) {
	var rows []schoolRow
	if err := s.q(ctx).Order("client_id").Find(&rows).Error; err != nil {
		return nil, wrap(err, "")
	}
	out := make([]domain.School, 0, len(rows))
	for _, r := range rows {
		sc, err := r.domain()
		if err != nil {
			return nil, wrap(err, "")
		}
		out = append(out, sc)
	}
	return out, nil
}

// SchoolByClientID implements app.SchoolStore.
func (s *Store) SchoolByClientID(ctx context.Context, clientID string) (domain.School, error) {
	// Every request of a school reads its row (a revoked school or a withdrawn scope counts at once):
	// plain SQL, no gorm reflection.
	var row schoolRow
	err := s.queryRow(ctx, schoolByClientIDSQL, []any{clientID}, &row.ID, &row.ClientID, &row.Naam, &row.BowNummer,
		&row.KeurmerkGeldigTot, &row.Jwks, &row.Scopes, &row.AangemaaktOp, &row.IngetrokkenOp)
	if err != nil {
		return domain.School{}, wrapRow(err, "error.school_not_found")
	}
	sc, err := row.domain()
	return sc, wrap(err, "")
}

// RevokeSchool implements app.SchoolStore.
func (s *Store) RevokeSchool(ctx context.Context, clientID string, at time.Time) error {
	res := s.q(ctx).Model(&schoolRow{}).Where("client_id = ? AND ingetrokken_op IS NULL", clientID).Update("ingetrokken_op", at.UTC())
	if res.Error != nil {
		return wrap(res.Error, "")
	}
	if res.RowsAffected == 0 {
		return domain.Errorf(domain.KindNotFound, "error.school_not_found")
	}
	return nil
}

// UseAssertion implements app.SchoolStore: the primary key (client_id, jti) refuses a second use
// on every instance at once.
func (s *Store) UseAssertion(ctx context.Context, clientID, jti string, expires time.Time) error {
	return wrap(s.q(ctx).Create(&schoolAssertionRow{ClientID: clientID, Jti: jti, VerlooptOp: expires.UTC()}).Error, "")
}

// SweepAssertions implements app.SchoolStore.
func (s *Store) SweepAssertions(ctx context.Context, now time.Time) error {
	return wrap(s.q(ctx).Where("verloopt_op < ?", now.UTC()).Delete(&schoolAssertionRow{}).Error, "")
}
