package domain

import (
	"errors"
	"fmt"
)

// Kind classifies an error so that each face can map it to a status in one table.
type Kind string

const (
	KindInvalid      Kind = "invalid"
	KindNotFound     Kind = "not_found"
	KindConflict     Kind = "conflict"
	KindForbidden    Kind = "forbidden"
	KindUnauthorized Kind = "unauthorized"
	KindInternal     Kind = "internal"
	// KindTooManyRequests: a rate limit is exceeded; the request did nothing.
	KindTooManyRequests Kind = "too_many_requests"
	// KindUnavailable: a dependency (the database) cannot be reached right now; nothing was done.
	KindUnavailable Kind = "unavailable"
	// KindPreconditionFailed: the caller's version (If-Match, a form's version) is stale.
	KindPreconditionFailed Kind = "precondition_failed"
	// KindPreconditionRequired: an update of a shared record came without its version (If-Match).
	KindPreconditionRequired Kind = "precondition_required"
)

// Violation is one problem with one input field. MessageID is a translation key, never English text.
type Violation struct {
	Field     string
	MessageID string
	Params    map[string]any
}

// Error is the error type of the domain and the use cases. It carries a kind and a message ID;
// the face (portal or API) translates the message ID into the reader's language.
type Error struct {
	Kind       Kind
	MessageID  string
	Params     map[string]any
	Violations []Violation
	Err        error // the cause, for logs only; never shown
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Kind, e.MessageID, e.Err)
	}
	return fmt.Sprintf("%s: %s", e.Kind, e.MessageID)
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf builds an Error of the given kind and message ID.
func Errorf(kind Kind, messageID string) *Error { return &Error{Kind: kind, MessageID: messageID} }

// Invalid builds a KindInvalid error listing every violation.
func Invalid(violations ...Violation) *Error {
	return &Error{Kind: KindInvalid, MessageID: "error.invalid_input", Violations: violations}
}

// ErrorKind returns the kind of err, KindInternal for errors that are not *Error.
func ErrorKind(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindInternal
}
