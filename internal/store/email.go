package store

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"

	"github.com/inburgering/portal/internal/domain"
)

type emailRow struct {
	InburgeraarID   int64 `gorm:"primaryKey;autoIncrement:false"`
	Adres           string
	Toestemming     bool
	GeverifieerdOp  *time.Time
	TokenHash       *string
	TokenVerlooptOp *time.Time
	GewijzigdOp     time.Time
}

func (emailRow) TableName() string { return "emailadressen" }

// EmailVoorkeur implements the app's ports: the zero value when the person gave no address.
func (s *Store) EmailVoorkeur(ctx context.Context, inburgeraarID int64) (domain.EmailVoorkeur, error) {
	var r emailRow
	err := s.q(ctx).Where("inburgeraar_id = ?", inburgeraarID).Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return domain.EmailVoorkeur{}, nil
	}
	if err != nil {
		return domain.EmailVoorkeur{}, wrap(err, "")
	}
	v := domain.EmailVoorkeur{Adres: r.Adres, Toestemming: r.Toestemming}
	if r.GeverifieerdOp != nil {
		t := r.GeverifieerdOp.UTC()
		v.Geverifieerd = &t
	}
	return v, nil
}

// SetEmail implements the app's ports: an empty address removes the row; another address than
// the stored one starts unverified (and forgets any token); the same address keeps its state.
// It reports whether the stored address is (now) unverified.
func (s *Store) SetEmail(ctx context.Context, inburgeraarID int64, v domain.EmailVoorkeur, at time.Time) (bool, error) {
	db := s.q(ctx)
	if v.Adres == "" {
		return false, wrap(db.Where("inburgeraar_id = ?", inburgeraarID).Delete(&emailRow{}).Error, "")
	}
	at = at.UTC().Truncate(time.Microsecond)
	var r emailRow
	err := db.Where("inburgeraar_id = ?", inburgeraarID).Take(&r).Error
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound):
		return true, wrap(db.Create(&emailRow{InburgeraarID: inburgeraarID, Adres: v.Adres, Toestemming: v.Toestemming, GewijzigdOp: at}).Error, "")
	case err != nil:
		return false, wrap(err, "")
	case r.Adres == v.Adres:
		err := db.Model(&emailRow{}).Where("inburgeraar_id = ?", inburgeraarID).
			Updates(map[string]any{"toestemming": v.Toestemming, "gewijzigd_op": at}).Error
		return r.GeverifieerdOp == nil, wrap(err, "")
	}
	err = db.Model(&emailRow{}).Where("inburgeraar_id = ?", inburgeraarID).Updates(map[string]any{
		"adres": v.Adres, "toestemming": v.Toestemming, "geverifieerd_op": nil, "token_hash": nil, "token_verloopt_op": nil, "gewijzigd_op": at}).Error
	return true, wrap(err, "")
}

// SetEmailToken implements the app's ports: the token's hash is stored only while the address is
// still adres and unverified; false otherwise (changed or verified meanwhile).
func (s *Store) SetEmailToken(ctx context.Context, inburgeraarID int64, adres, tokenHash string, expires time.Time) (bool, error) {
	res := s.q(ctx).Model(&emailRow{}).Where("inburgeraar_id = ? AND adres = ? AND geverifieerd_op IS NULL", inburgeraarID, adres).
		Updates(map[string]any{"token_hash": tokenHash, "token_verloopt_op": expires.UTC().Truncate(time.Microsecond)})
	if res.Error != nil {
		return false, wrap(res.Error, "")
	}
	return res.RowsAffected == 1, nil
}

// VerifyEmail implements the app's ports with one conditional update: the token is consumed
// (its hash forgotten) as the address is marked verified, so a token works once.
func (s *Store) VerifyEmail(ctx context.Context, inburgeraarID int64, tokenHash string, at time.Time) (bool, error) {
	at = at.UTC().Truncate(time.Microsecond)
	res := s.q(ctx).Model(&emailRow{}).
		Where("inburgeraar_id = ? AND token_hash = ? AND token_verloopt_op > ? AND geverifieerd_op IS NULL", inburgeraarID, tokenHash, at).
		Updates(map[string]any{"geverifieerd_op": at, "token_hash": nil, "token_verloopt_op": nil, "gewijzigd_op": at})
	if res.Error != nil {
		return false, wrap(res.Error, "")
	}
	return res.RowsAffected == 1, nil
}
