package app

import (
	"context"
	"time"

	"github.com/inburgering/portal/internal/domain"
)

// IdempotencyStore is the storage port of Idempotency-Key (IETF draft-ietf-httpapi-idempotency-key-header).
type IdempotencyStore interface {
	// ClaimIdempotencyKey records a running request under (clientID, key); when the key is taken
	// it returns what is stored instead, claiming nothing. The database decides who is first.
	ClaimIdempotencyKey(ctx context.Context, clientID, key, fingerprint string, at time.Time) (*StoredResponse, error)
	// CompleteIdempotencyKey stores the response of the request that claimed the key, and its
	// final fingerprint (a streamed body's hash is known only once it has been read).
	// headers are the response headers a replay repeats (Location, ETag), as JSON; "" for none.
	CompleteIdempotencyKey(ctx context.Context, clientID, key, fingerprint string, status int, body, headers string) error
	// ReleaseIdempotencyKey forgets a claim whose request failed in a way worth retrying.
	ReleaseIdempotencyKey(ctx context.Context, clientID, key string) error
}

// StoredResponse is what is kept under an Idempotency-Key.
type StoredResponse struct {
	Fingerprint string
	Done        bool // false while the first request is still running
	Status      int
	Body        string
	Headers     string // JSON object of the response headers a replay repeats; "" for none
}

// idempotencyScope is the scope of the caller's keys: a school's client, or one inburgeraar
// (the booking of an appointment takes an Idempotency-Key too).
func idempotencyScope(ctx context.Context) (string, error) {
	p, ok := PrincipalFrom(ctx)
	if !ok {
		return "", domain.Errorf(domain.KindUnauthorized, "error.token_invalid")
	}
	switch p.Kind {
	case PrincipalSchool:
		return p.ClientID, nil
	case PrincipalInburgeraar:
		return p.Actor(), nil // "inburgeraar:<id>": no client_id of a school looks like it
	}
	return "", domain.Errorf(domain.KindForbidden, "error.forbidden")
}

// validIdempotencyKey: 1 to 255 visible ASCII characters.
func validIdempotencyKey(k string) bool {
	if len(k) < 1 || len(k) > 255 {
		return false
	}
	for i := 0; i < len(k); i++ {
		if k[i] < 0x21 || k[i] > 0x7e {
			return false
		}
	}
	return true
}

// BeginIdempotent claims key for the acting school's (or inburgeraar's) request with fingerprint (a hash of the
// method, the target and the body). It returns the stored response to replay when the same
// request was answered before; 422 when the key was used for another request; 409 while the
// first is still running. Keys are scoped per client.
//
// A streamed body (a CSV file) is hashed only as it is read: then fingerprint names the method
// and target, and final, called only when a stored answer is found, reads the body and returns
// the fingerprint to compare with the stored one.
func (s *Service) BeginIdempotent(ctx context.Context, key, fingerprint string, final func() (string, error)) (*StoredResponse, error) {
	scope, err := idempotencyScope(ctx)
	if err != nil {
		return nil, err
	}
	if !validIdempotencyKey(key) {
		return nil, domain.Invalid(domain.Violation{Field: "Idempotency-Key", MessageID: "error.field_format"})
	}
	stored, err := s.idempotency.ClaimIdempotencyKey(ctx, scope, key, fingerprint, s.Now().UTC())
	switch {
	case err != nil:
		return nil, err
	case stored == nil:
		return nil, nil
	case final == nil && stored.Fingerprint != fingerprint:
		return nil, domain.Errorf(domain.KindUnprocessable, "error.idempotency_key_reused")
	case !stored.Done:
		return nil, domain.Errorf(domain.KindConflict, "error.idempotency_running")
	}
	if final != nil {
		fp, err := final()
		if err != nil {
			return nil, err
		}
		if fp != stored.Fingerprint {
			return nil, domain.Errorf(domain.KindUnprocessable, "error.idempotency_key_reused")
		}
	}
	return stored, nil
}

// FinishIdempotent stores the response to the request that claimed key; a response that should
// not be replayed (a failure worth retrying) releases the key instead.
func (s *Service) FinishIdempotent(ctx context.Context, key, fingerprint string, status int, body, headers string) error {
	scope, err := idempotencyScope(ctx)
	if err != nil {
		return err
	}
	// The answer is stored whatever happens to the request's own context (a client that hangs
	// up must not leave the key claimed for ever).
	ctx = context.WithoutCancel(ctx)
	if status >= 500 || status == 429 || status == 401 {
		return s.idempotency.ReleaseIdempotencyKey(ctx, scope, key)
	}
	return s.idempotency.CompleteIdempotencyKey(ctx, scope, key, fingerprint, status, body, headers)
}
