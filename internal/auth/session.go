// Package auth holds identity and access: server-side sessions, the demo login, OpenID Connect
// login for inburgeraars and staff, and bearer tokens for the API.
package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"time"

	"github.com/inburgering/portal/internal/domain"
)

// Kind is who a session belongs to.
type Kind string

const (
	KindInburgeraar Kind = "inburgeraar"
	KindStaff       Kind = "medewerker"
)

// RoleStaff is the role a DUO staff member needs for the back office.
const RoleStaff = "duo-medewerker"

// Session lifetimes (DigiD practice, design.md §3).
const (
	IdleTimeout     = 15 * time.Minute
	AbsoluteTimeout = 12 * time.Hour
	touchEvery      = time.Minute
)

// Session is a server-side session. Only the SHA-256 of its ID is stored.
type Session struct {
	Kind          Kind
	InburgeraarID int64  // KindInburgeraar
	Staff         string // KindStaff: display name or subject
	StaffID       string // KindStaff: stable ID for the audit log (the OIDC subject, or the demo staff ID)
	Role          string
	LogoutHint    string // the ID token sealed for RP-initiated logout (Identity.LogoutHint), or ""
	CreatedAt     time.Time
	LastSeenAt    time.Time
}

// Valid reports whether s is within the idle and absolute timeouts at now.
func (s Session) Valid(now time.Time) bool {
	return now.Sub(s.LastSeenAt) < IdleTimeout && now.Sub(s.CreatedAt) < AbsoluteTimeout
}

// Left is how long s stays valid after now without activity: until the idle or the absolute
// timeout, whichever comes first (never negative). The idle timer counts from the last touch,
// which Load refreshes at most once a minute, so Left errs on the short side by under a minute.
func (s Session) Left(now time.Time) time.Duration {
	end := min(s.LastSeenAt.Add(IdleTimeout).UnixNano(), s.CreatedAt.Add(AbsoluteTimeout).UnixNano())
	return max(0, time.Duration(end-now.UnixNano()))
}

// SessionStore is the storage port for sessions and API tokens (implemented by internal/store).
type SessionStore interface {
	CreateSession(ctx context.Context, idHash string, s Session) error
	Session(ctx context.Context, idHash string) (Session, error) // KindNotFound when missing
	TouchSession(ctx context.Context, idHash string, at time.Time) error
	DeleteSession(ctx context.Context, idHash string) error
	DeleteSessionsBefore(ctx context.Context, createdBefore, seenBefore time.Time) error

	CreateAPIToken(ctx context.Context, hash string, inburgeraarID int64, created, expires time.Time) error
	APITokenOwner(ctx context.Context, hash string, now time.Time) (int64, error) // KindNotFound when missing or expired

	// Staff API tokens (demo mode): the staff member's stable ID and the staff scopes granted.
	CreateStaffAPIToken(ctx context.Context, hash, staffID string, scopes []domain.Scope, created, expires time.Time) error
	StaffAPITokenOwner(ctx context.Context, hash string, now time.Time) (string, []domain.Scope, error) // KindNotFound when missing or expired
}

// NewID returns a new random 256-bit identifier, URL-safe.
func NewID() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// Hash returns the hex SHA-256 of a secret identifier; only hashes are stored.
func Hash(id string) string {
	h := sha256.Sum256([]byte(id))
	return hex.EncodeToString(h[:])
}

// Sessions manages server-side sessions.
type Sessions struct {
	Store SessionStore
	Now   func() time.Time
}

// Start creates a new session and returns its ID (the cookie value). Callers rotate by
// ending the old session first: an ID is never reused across a login.
func (m *Sessions) Start(ctx context.Context, s Session) (string, error) {
	now := m.Now().UTC()
	s.CreatedAt, s.LastSeenAt = now, now
	id := NewID()
	if err := m.Store.CreateSession(ctx, Hash(id), s); err != nil {
		return "", err
	}
	return id, nil
}

// Load returns the session with cookie value id, refreshing its idle timer. An unknown,
// tampered or expired ID gives a KindUnauthorized error (and an expired session is deleted).
func (m *Sessions) Load(ctx context.Context, id string) (Session, error) {
	if len(id) != 43 {
		return Session{}, domain.Errorf(domain.KindUnauthorized, "error.session_expired")
	}
	h := Hash(id)
	s, err := m.Store.Session(ctx, h)
	if err != nil {
		if domain.ErrorKind(err) == domain.KindNotFound {
			return Session{}, domain.Errorf(domain.KindUnauthorized, "error.session_expired")
		}
		return Session{}, err
	}
	now := m.Now().UTC()
	if !s.Valid(now) {
		_ = m.Store.DeleteSession(ctx, h)
		return Session{}, domain.Errorf(domain.KindUnauthorized, "error.session_expired")
	}
	if now.Sub(s.LastSeenAt) > touchEvery {
		if err := m.Store.TouchSession(ctx, h, now); err != nil {
			return Session{}, err
		}
		s.LastSeenAt = now
	}
	return s, nil
}

// Extend restarts the idle timer of the session with cookie value id now (the "stay logged in"
// button; a POST, so the write is asked for) and returns the session as extended.
func (m *Sessions) Extend(ctx context.Context, id string) (Session, error) {
	s, err := m.Load(ctx, id)
	if err != nil {
		return Session{}, err
	}
	now := m.Now().UTC()
	if err := m.Store.TouchSession(ctx, Hash(id), now); err != nil {
		return Session{}, err
	}
	s.LastSeenAt = now
	return s, nil
}

// End deletes the session with cookie value id.
func (m *Sessions) End(ctx context.Context, id string) error {
	if id == "" {
		return nil
	}
	return m.Store.DeleteSession(ctx, Hash(id))
}

// Sweep deletes sessions past either timeout.
func (m *Sessions) Sweep(ctx context.Context) error {
	now := m.Now().UTC()
	return m.Store.DeleteSessionsBefore(ctx, now.Add(-AbsoluteTimeout), now.Add(-IdleTimeout))
}
