// Package app holds the use cases of the service. Each capability declares the small storage
// ports it consumes, next to the use cases that call them; internal/store implements them. The
// portal and the API call the same use cases, so they always show the same figures, and neither
// reaches storage: the ports are held by the Service in unexported fields.
//
// A new capability (schools, consent, bookings) declares its own port in its own file, adds a
// field to Service and the port to Storage; it does not grow the ports of other capabilities.
package app

import (
	"context"
	"time"

	"github.com/inburgering/portal/internal/domain"
)

// Persona is a seeded demo person that the demo login lists.
type Persona struct {
	Key           string
	InburgeraarID int64
	Name          string
}

// BerichtCursor is the position after which the next page of messages starts (newest first).
type BerichtCursor struct {
	CreatedAt time.Time
	ID        int64
}

// AuditEntry is one line of the append-only audit log. Actor is a stable ID (the OIDC subject
// or a demo staff ID), never a display name; Subject is a pseudonym or a marker, never a BSN.
type AuditEntry struct {
	At      time.Time
	Actor   string
	Action  string
	Subject string
	Details string
}

// Transactor runs fn in one transaction. Every port method called with the ctx that fn
// receives takes part in it; a nested call joins (as a savepoint) the transaction of its ctx.
type Transactor interface {
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
}

// ReadTransactor is a Transactor that also runs reads in one read-only transaction: one
// consistent snapshot, on SQLite on a reader connection beside the one writer.
type ReadTransactor interface {
	InReadTx(ctx context.Context, fn func(ctx context.Context) error) error
}

// inRead runs fn in a read-only transaction when the Transactor has them, else as it is.
func (s *Service) inRead(ctx context.Context, fn func(ctx context.Context) error) error {
	if rt, ok := s.tx.(ReadTransactor); ok {
		return rt.InReadTx(ctx, fn)
	}
	return fn(ctx)
}

// People is the identity port: the inburgeraars and their profile.
type People interface {
	Inburgeraar(ctx context.Context, id int64) (domain.Inburgeraar, error)
	InburgeraarByBSN(ctx context.Context, bsn domain.BSN) (domain.Inburgeraar, error)
	SetPreferredLanguage(ctx context.Context, id int64, lang string) error
}

// OverviewRecords are the stored records "Mijn overzicht" follows from, read as one snapshot.
type OverviewRecords struct {
	Person     domain.Inburgeraar
	Extensions []domain.Extension
	PIPs       []domain.PIP // oldest first
	Invoices   []domain.Invoice
	Unread     int
	Facts      domain.RuleFacts
	Fines      []domain.FineDecision // oldest first
}

// OverviewData is the read port of "Mijn overzicht": the records the term, PIP and loan follow from.
// OverviewRecords reads them all in one statement (one snapshot, the hot path of the overview and
// the API's own-data resources); it equals Inburgeraar, Extensions, PIPs, Invoices, UnreadCount,
// RuleFacts and FineDecisions read in one read-only transaction.
type OverviewData interface {
	OverviewRecords(ctx context.Context, inburgeraarID int64) (OverviewRecords, error)
	Extensions(ctx context.Context, inburgeraarID int64) ([]domain.Extension, error)
	PIPs(ctx context.Context, inburgeraarID int64) ([]domain.PIP, error) // oldest first
	Invoices(ctx context.Context, inburgeraarID int64) ([]domain.Invoice, error)
}

// Messages is the port of the inbox (berichtenbox).
type Messages interface {
	Berichten(ctx context.Context, inburgeraarID int64, after *BerichtCursor, limit int) ([]domain.Bericht, error)
	Bericht(ctx context.Context, inburgeraarID, id int64) (domain.Bericht, error)
	SetBerichtRead(ctx context.Context, inburgeraarID, id int64, readAt *time.Time) error
	UnreadCount(ctx context.Context, inburgeraarID int64) (int, error)
	AddBericht(ctx context.Context, b *domain.Bericht) error
}

// AuditLog is the append-only audit log.
type AuditLog interface {
	AppendAudit(ctx context.Context, e AuditEntry) error
}

// RuleFactStore is the storage port for the facts the rules of the law need beyond the person record
// (PIP deadline, Wi2007 term, Wi2013 fine and remission) and for fine decisions.
type RuleFactStore interface {
	RuleFacts(ctx context.Context, inburgeraarID int64) (domain.RuleFacts, error) // zero facts when none are stored
	SetRuleFacts(ctx context.Context, inburgeraarID int64, f domain.RuleFacts) error
	FineDecisions(ctx context.Context, inburgeraarID int64) ([]domain.FineDecision, error) // oldest first
	AddFineDecision(ctx context.Context, inburgeraarID int64, d domain.FineDecision) error
}

// Demo is the port of demo mode: the seeded personas, the records seeding writes and the
// bearer tokens demo mode issues.
type Demo interface {
	InburgeraarByPersona(ctx context.Context, key string) (domain.Inburgeraar, error)
	Personas(ctx context.Context) ([]Persona, error)
	CreateInburgeraar(ctx context.Context, i *domain.Inburgeraar, persona string) error
	AddExtension(ctx context.Context, inburgeraarID int64, e domain.Extension) error
	AddPIP(ctx context.Context, inburgeraarID int64, p domain.PIP) error
	AddInvoice(ctx context.Context, inburgeraarID int64, inv domain.Invoice) error
	CreateAPIToken(ctx context.Context, hash string, inburgeraarID int64, created, expires time.Time) error
	CreateStaffAPIToken(ctx context.Context, hash, staffID string, scopes []domain.Scope, created, expires time.Time) error
}

// Storage is everything NewService needs: one value (internal/store's Store) implementing
// each capability's port.
type Storage interface {
	Transactor
	People
	OverviewData
	Messages
	AuditLog
	Demo
	RuleFactStore
	InvoiceStore
	SchoolStore
	DeclarationStore
	IdempotencyStore
	AfspraakStore
	EmailStore
	EvidenceStore
}
