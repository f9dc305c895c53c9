// Package app holds the use cases of the service. It declares the storage ports it needs;
// internal/store implements them. The portal and the API call the same use cases, so they
// always show the same figures.
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

// AuditEntry is one line of the append-only audit log. Subject is a pseudonym, never a BSN.
type AuditEntry struct {
	At      time.Time
	Actor   string
	Action  string
	Subject string
	Details string
}

// Repository is the storage port of the use cases.
type Repository interface {
	// InTx runs fn in one transaction.
	InTx(ctx context.Context, fn func(Repository) error) error

	Inburgeraar(ctx context.Context, id int64) (domain.Inburgeraar, error)
	InburgeraarByBSN(ctx context.Context, bsn domain.BSN) (domain.Inburgeraar, error)
	InburgeraarByPersona(ctx context.Context, key string) (domain.Inburgeraar, error)
	Personas(ctx context.Context) ([]Persona, error)
	CreateInburgeraar(ctx context.Context, i *domain.Inburgeraar, persona string) error
	SetPreferredLanguage(ctx context.Context, id int64, lang string) error

	Extensions(ctx context.Context, inburgeraarID int64) ([]domain.Extension, error)
	AddExtension(ctx context.Context, inburgeraarID int64, e domain.Extension) error
	PIPs(ctx context.Context, inburgeraarID int64) ([]domain.PIP, error) // oldest first
	AddPIP(ctx context.Context, inburgeraarID int64, p domain.PIP) error
	Invoices(ctx context.Context, inburgeraarID int64) ([]domain.Invoice, error)
	AddInvoice(ctx context.Context, inburgeraarID int64, inv domain.Invoice) error

	Berichten(ctx context.Context, inburgeraarID int64, after *BerichtCursor, limit int) ([]domain.Bericht, error)
	Bericht(ctx context.Context, inburgeraarID, id int64) (domain.Bericht, error)
	SetBerichtRead(ctx context.Context, inburgeraarID, id int64, readAt *time.Time) error
	UnreadCount(ctx context.Context, inburgeraarID int64) (int, error)
	AddBericht(ctx context.Context, b *domain.Bericht) error

	AppendAudit(ctx context.Context, e AuditEntry) error
}

// RuleFactStore is the storage port for the facts the rules of the law need beyond the person record
// (PIP deadline, Wi2007 term, Wi2013 fine and remission) and for fine decisions. The store that
// implements Repository implements it too; it is a separate port so Repository does not grow.
type RuleFactStore interface {
	RuleFacts(ctx context.Context, inburgeraarID int64) (domain.RuleFacts, error) // zero facts when none are stored
	SetRuleFacts(ctx context.Context, inburgeraarID int64, f domain.RuleFacts) error
	FineDecisions(ctx context.Context, inburgeraarID int64) ([]domain.FineDecision, error) // oldest first
	AddFineDecision(ctx context.Context, inburgeraarID int64, d domain.FineDecision) error
}

// ruleFacts returns the rule-fact port of r: every store of this service implements it.
func ruleFacts(r Repository) (RuleFactStore, error) {
	f, ok := r.(RuleFactStore)
	if !ok {
		return nil, &domain.Error{Kind: domain.KindInternal, MessageID: "error.internal"}
	}
	return f, nil
}
