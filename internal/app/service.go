package app

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"time"

	"github.com/inburgering/portal/internal/domain"
)

// Service bundles the use cases.
type Service struct {
	Repo     Repository
	Policies domain.PolicyTable
	Now      func() time.Time
	// PseudonymKey keys the HMAC that turns a BSN into a stable pseudonym for logs and audit.
	PseudonymKey []byte

	// InvoiceStore serves the invoice use cases (invoices.go); wiring sets it to the same store as Repo.
	InvoiceStore InvoiceStore
}

// NewService returns a Service with the default policy table and the wall clock.
func NewService(repo Repository, pseudonymKey []byte) *Service {
	return &Service{Repo: repo, Policies: domain.DefaultPolicies(), Now: time.Now, PseudonymKey: pseudonymKey}
}

// Today is the calendar date in Europe/Amsterdam.
func (s *Service) Today() domain.Date { return domain.Today(s.Now()) }

// Pseudonym returns a stable, non-reversible pseudonym for a BSN (for logs and the audit log).
func (s *Service) Pseudonym(bsn domain.BSN) string {
	m := hmac.New(sha256.New, s.PseudonymKey)
	m.Write([]byte(bsn))
	return "p-" + hex.EncodeToString(m.Sum(nil))[:16]
}
