package app

import (
	"context"
	"errors"
	"strconv"
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
	// StoreIdempotencyAnswer stores a finished answer under (clientID, key) in one statement,
	// unless the key is taken: then it stores nothing and reports false (in a transaction,
	// without failing it). A concurrent twin's claim is waited for: the database decides.
	StoreIdempotencyAnswer(ctx context.Context, clientID, key, fingerprint string, at time.Time, status int, body, headers string) (bool, error)
	// IdempotencyAnswer returns what is stored under (clientID, key); nil when nothing is.
	IdempotencyAnswer(ctx context.Context, clientID, key string) (*StoredResponse, error)
}

// AtomicTransactor is a Transactor whose transaction can be all or nothing: InTx calls nested in
// InAtomicTx join it without a savepoint, and a failure of any of them rolls the whole of it back
// (ErrTxDoomed when fn itself returned nil).
type AtomicTransactor interface {
	InAtomicTx(ctx context.Context, fn func(ctx context.Context) error) error
}

// ErrTxDoomed is InAtomicTx's answer when fn succeeded although a nested transaction failed.
var ErrTxDoomed = errors.New("transaction rolled back: a nested transaction failed")

// inAtomic runs fn in an all-or-nothing transaction when the Transactor has them, else in InTx.
func (s *Service) inAtomic(ctx context.Context, fn func(ctx context.Context) error) error {
	if at, ok := s.tx.(AtomicTransactor); ok {
		return at.InAtomicTx(ctx, fn)
	}
	return s.tx.InTx(ctx, fn)
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

// Answer is a response as Idempotency-Key keeps it.
type Answer struct {
	Status        int
	Body, Headers string // Headers: the replayed response headers as JSON; "" for none
}

// stored reports whether an answer is kept for a replay: a failure worth retrying (5xx, 429,
// 401) is not.
func (a Answer) stored() bool { return a.Status < 500 && a.Status != 429 && a.Status != 401 }

// Failed is what run returns to RunIdempotent for a request that failed: Err, the handler's
// error, to be answered outside the transaction; or Answer, the failure it wrote itself.
type Failed struct {
	Err    error
	Answer Answer
}

func (f *Failed) Error() string {
	if f.Err != nil {
		return f.Err.Error()
	}
	return "answered " + strconv.Itoa(f.Answer.Status)
}

// errKeyTaken rolls RunIdempotent's transaction back when the key was taken meanwhile.
var errKeyTaken = errors.New("idempotency key taken")

// RunIdempotent answers a request under key with fingerprint (see BeginIdempotent) in one
// transaction with one commit: run does the work with the transaction's ctx and returns the
// answer; a success is stored under the key in the same transaction, the last statement before
// the commit. A failure (run returns *Failed) rolls the work back; answer renders it outside the
// transaction and that answer is stored on its own (a failure worth retrying is not). When the key
// was taken before — a replay, or a twin that got there first — the work is rolled back and the
// stored answer is returned with replayed true: another request under the key is 422, one still
// running 409, as BeginIdempotent does.
func (s *Service) RunIdempotent(ctx context.Context, key, fingerprint string, run func(ctx context.Context) (Answer, error),
	answer func(err error) Answer) (out Answer, replayed bool, err error) {
	scope, err := idempotencyScope(ctx)
	if err != nil {
		return Answer{}, false, err
	}
	if !validIdempotencyKey(key) {
		return Answer{}, false, domain.Invalid(domain.Violation{Field: "Idempotency-Key", MessageID: "error.field_format"})
	}
	at := s.Now().UTC()
	err = s.inAtomic(ctx, func(ctx context.Context) error {
		a, err := run(ctx)
		if err != nil {
			return err
		}
		if a.Status >= 400 {
			return &Failed{Answer: a}
		}
		ok, err := s.idempotency.StoreIdempotencyAnswer(ctx, scope, key, fingerprint, at, a.Status, a.Body, a.Headers)
		if err != nil {
			return err
		}
		if !ok {
			return errKeyTaken
		}
		out = a
		return nil
	})
	var failed *Failed
	switch {
	case err == nil:
		return out, false, nil
	case errors.Is(err, errKeyTaken), errors.Is(err, ErrTxDoomed):
		// ErrTxDoomed: a nested step failed although the request answered; what a twin stored
		// is the answer, else ask to retry.
	case errors.As(err, &failed):
		out = failed.Answer
		if failed.Err != nil {
			out = answer(failed.Err)
		}
		// The answer is stored whatever happens to the request's own context.
		bg := context.WithoutCancel(ctx)
		if !out.stored() {
			if prev, perr := s.idempotency.IdempotencyAnswer(bg, scope, key); perr != nil || prev == nil {
				return out, false, nil
			}
		} else if ok, serr := s.idempotency.StoreIdempotencyAnswer(bg, scope, key, fingerprint, at, out.Status, out.Body, out.Headers); serr != nil {
			return Answer{}, false, serr
		} else if ok {
			return out, false, nil
		}
	default:
		return Answer{}, false, err
	}
	prev, err := s.idempotency.IdempotencyAnswer(context.WithoutCancel(ctx), scope, key)
	switch {
	case err != nil:
		return Answer{}, false, err
	case prev == nil: // released meanwhile: the first request failed; ask to retry
		return Answer{}, false, domain.Errorf(domain.KindConflict, "error.idempotency_running")
	case prev.Fingerprint != fingerprint:
		return Answer{}, false, domain.Errorf(domain.KindUnprocessable, "error.idempotency_key_reused")
	case !prev.Done:
		return Answer{}, false, domain.Errorf(domain.KindConflict, "error.idempotency_running")
	}
	return Answer{Status: prev.Status, Body: prev.Body, Headers: prev.Headers}, true, nil
}
