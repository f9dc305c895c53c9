package store

import (
	"context"
	"strings"
	"time"

	"github.com/inburgering/portal/internal/auth"
	"github.com/inburgering/portal/internal/domain"
)

var _ auth.SessionStore = (*Store)(nil)

// CreateSession implements auth.SessionStore.
func (s *Store) CreateSession(ctx context.Context, idHash string, sess auth.Session) error {
	row := sessieRow{IDHash: idHash, Soort: string(sess.Kind), Medewerker: sess.Staff, Rol: sess.Role, LogoutHint: sess.LogoutHint,
		AangemaaktOp: sess.CreatedAt.UTC(), LaatstGezienOp: sess.LastSeenAt.UTC()}
	row.MedewerkerID = sess.StaffID
	if sess.Kind == auth.KindInburgeraar {
		id := sess.InburgeraarID
		row.InburgeraarID = &id
	}
	return wrap(s.q(ctx).Create(&row).Error, "")
}

// Session implements auth.SessionStore.
func (s *Store) Session(ctx context.Context, idHash string) (auth.Session, error) {
	var row sessieRow
	err := s.queryRow(ctx, sessionSQL, []any{idHash}, &row.Soort, &row.InburgeraarID, &row.Medewerker, &row.MedewerkerID, &row.Rol,
		&row.LogoutHint, &row.AangemaaktOp, &row.LaatstGezienOp)
	if err != nil {
		return auth.Session{}, wrapRow(err, "error.session_expired")
	}
	out := auth.Session{Kind: auth.Kind(row.Soort), Staff: row.Medewerker, Role: row.Rol, LogoutHint: row.LogoutHint,
		CreatedAt: row.AangemaaktOp.UTC(), LastSeenAt: row.LaatstGezienOp.UTC()}
	out.StaffID = row.MedewerkerID
	if row.InburgeraarID != nil {
		out.InburgeraarID = *row.InburgeraarID
	}
	return out, nil
}

// TouchSession implements auth.SessionStore.
func (s *Store) TouchSession(ctx context.Context, idHash string, at time.Time) error {
	return wrap(s.q(ctx).Model(&sessieRow{}).Where("id_hash = ?", idHash).Update("laatst_gezien_op", at.UTC()).Error, "")
}

// DeleteSession implements auth.SessionStore.
func (s *Store) DeleteSession(ctx context.Context, idHash string) error {
	return wrap(s.q(ctx).Where("id_hash = ?", idHash).Delete(&sessieRow{}).Error, "")
}

// DeleteSessionsBefore implements auth.SessionStore.
func (s *Store) DeleteSessionsBefore(ctx context.Context, createdBefore, seenBefore time.Time) error {
	err := s.q(ctx).Where("aangemaakt_op < ? OR laatst_gezien_op < ?", createdBefore.UTC(), seenBefore.UTC()).Delete(&sessieRow{}).Error
	if err == nil {
		err = s.q(ctx).Where("verloopt_op < ?", seenBefore.UTC()).Delete(&apiTokenRow{}).Error
	}
	if err == nil {
		err = s.q(ctx).Where("verloopt_op < ?", seenBefore.UTC()).Delete(&apiStaffTokenRow{}).Error
	}
	return wrap(err, "")
}

// CreateAPIToken implements auth.SessionStore.
func (s *Store) CreateAPIToken(ctx context.Context, hash string, inburgeraarID int64, created, expires time.Time) error {
	return wrap(s.q(ctx).Create(&apiTokenRow{Hash: hash, InburgeraarID: inburgeraarID, AangemaaktOp: created.UTC(), VerlooptOp: expires.UTC()}).Error, "")
}

// APITokenOwner implements auth.SessionStore.
func (s *Store) APITokenOwner(ctx context.Context, hash string, now time.Time) (int64, error) {
	var row apiTokenRow
	if err := s.queryRow(ctx, apiTokenSQL, []any{hash, now.UTC()}, &row.InburgeraarID); err != nil {
		return 0, wrapRow(err, "error.token_invalid")
	}
	if row.InburgeraarID == 0 {
		return 0, domain.Errorf(domain.KindNotFound, "error.token_invalid")
	}
	return row.InburgeraarID, nil
}

// CreateStaffAPIToken implements auth.SessionStore.
func (s *Store) CreateStaffAPIToken(ctx context.Context, hash, staffID string, scopes []domain.Scope, created, expires time.Time) error {
	names := make([]string, len(scopes))
	for i, sc := range scopes {
		names[i] = string(sc)
	}
	return wrap(s.q(ctx).Create(&apiStaffTokenRow{Hash: hash, MedewerkerID: staffID, Scopes: strings.Join(names, " "),
		AangemaaktOp: created.UTC(), VerlooptOp: expires.UTC()}).Error, "")
}

// StaffAPITokenOwner implements auth.SessionStore.
func (s *Store) StaffAPITokenOwner(ctx context.Context, hash string, now time.Time) (string, []domain.Scope, error) {
	var row apiStaffTokenRow
	err := s.q(ctx).Where("hash = ? AND verloopt_op > ?", hash, now.UTC()).Take(&row).Error
	if err != nil {
		return "", nil, wrap(err, "error.token_invalid")
	}
	return row.MedewerkerID, domain.StaffScopesOf(row.Scopes), nil
}
