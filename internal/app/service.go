package app

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"time"

	"github.com/inburgering/portal/internal/auth"
	"github.com/inburgering/portal/internal/domain"
)

// Service bundles the use cases. Its storage ports are unexported: the faces (api/, portal/)
// reach data only through the use cases.
type Service struct {
	tx           Transactor
	people       People
	overview     OverviewData
	messages     Messages
	audit        AuditLog
	demo         Demo
	facts        RuleFactStore
	invoices     InvoiceStore
	schools      SchoolStore
	declarations DeclarationStore
	idempotency  IdempotencyStore
	bookings     AfspraakStore
	email        EmailStore
	evidence     EvidenceStore

	Policies domain.PolicyTable
	// Bookings configures DUO appointments: types, offices, horizon and cutoff.
	Bookings domain.AfspraakConfig
	// Verification are the periods of the verification of hour declarations (domain.md §8).
	Verification domain.VerificationPeriods
	Now          func() time.Time
	// SchoolTokens signs and verifies the access tokens of language schools (set by wire).
	SchoolTokens auth.SchoolTokens
	// PseudonymKey keys the HMAC that turns a BSN into a stable pseudonym for logs and audit.
	PseudonymKey []byte
	// Jobs queues background work (internal/jobs); wire sets it.
	Jobs Jobs
	// Mail sends e-mail notifications; nil when no SMTP server is configured (wire sets it).
	Mail *Notifier
}

// NewService returns a Service over st with the default policy table and the wall clock.
func NewService(st Storage, pseudonymKey []byte) *Service {
	return &Service{
		tx: st, people: st, overview: st, messages: st, audit: st, demo: st, facts: st, invoices: st, schools: st, declarations: st, idempotency: st, bookings: st, email: st, evidence: st,
		Policies: domain.DefaultPolicies(), Verification: domain.DefaultVerificationPeriods(), Bookings: domain.DefaultAfspraakConfig(), Now: time.Now, PseudonymKey: pseudonymKey,
	}
}

// Today is the calendar date in Europe/Amsterdam.
func (s *Service) Today() domain.Date { return domain.Today(s.Now()) }

// Pseudonym returns a stable, non-reversible pseudonym for a BSN (for logs and the audit log).
func (s *Service) Pseudonym(bsn domain.BSN) string {
	m := hmac.New(sha256.New, s.PseudonymKey)
	m.Write([]byte(bsn))
	return "p-" + hex.EncodeToString(m.Sum(nil))[:16]
}
