package app

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/inburgering/portal/internal/domain"
)

// InvoiceStore is the storage port of the invoice use cases (§5: accept or reject each invoice).
type InvoiceStore interface {
	// InvoicePage lists inburgeraarID's invoices newest first (invoice date, then id), after the
	// cursor when it is not nil, at most limit.
	InvoicePage(ctx context.Context, inburgeraarID int64, after *InvoiceCursor, limit int) ([]domain.Invoice, error)
	// Invoice returns one invoice of inburgeraarID; not found when it does not exist or is someone else's.
	Invoice(ctx context.Context, inburgeraarID, invoiceID int64) (domain.Invoice, error)
	// SaveInvoiceDecision stores the decision on an invoice of inburgeraarID that is still open;
	// a conflict when it no longer is (a decision made meanwhile).
	SaveInvoiceDecision(ctx context.Context, inburgeraarID int64, inv domain.Invoice) error
}

// InvoiceCursor is the position after which the next page of invoices starts (newest first).
type InvoiceCursor struct {
	Date domain.Date
	ID   int64
}

// String encodes the cursor as an opaque, URL-safe token.
func (c InvoiceCursor) String() string {
	return base64.RawURLEncoding.EncodeToString([]byte(c.Date.String() + "." + strconv.FormatInt(c.ID, 10)))
}

var _ fmt.Stringer = InvoiceCursor{}

// ParseInvoiceCursor decodes a cursor token; anything malformed is invalid input.
func ParseInvoiceCursor(s string) (InvoiceCursor, error) {
	bad := domain.Invalid(domain.Violation{Field: "cursor", MessageID: "error.cursor_invalid"})
	if len(s) > 200 {
		return InvoiceCursor{}, bad
	}
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return InvoiceCursor{}, bad
	}
	ds, ids, ok := strings.Cut(string(raw), ".")
	if !ok {
		return InvoiceCursor{}, bad
	}
	d, err1 := domain.ParseDate(ds)
	id, err2 := strconv.ParseInt(ids, 10, 64)
	if err1 != nil || err2 != nil || id <= 0 {
		return InvoiceCursor{}, bad
	}
	c := InvoiceCursor{Date: d, ID: id}
	if c.String() != s {
		return InvoiceCursor{}, bad // only canonical encodings, so one cursor has one spelling
	}
	return c, nil
}

// InvoicesPage is one page of invoices, newest first.
type InvoicesPage struct {
	Invoices []domain.Invoice
	Next     *InvoiceCursor // nil on the last page
}

// Invoices lists the invoices of inburgeraar id, newest first, limit per page (1..MaxPageSize).
func (s *Service) Invoices(ctx context.Context, id int64, after *InvoiceCursor, limit int) (InvoicesPage, error) {
	if limit < 1 || limit > MaxPageSize {
		return InvoicesPage{}, domain.Invalid(domain.Violation{Field: "limit", MessageID: "error.limit_range", Params: map[string]any{"Max": MaxPageSize}})
	}
	list, err := s.invoices.InvoicePage(ctx, id, after, limit+1)
	if err != nil {
		return InvoicesPage{}, err
	}
	var p InvoicesPage
	if len(list) > limit {
		list = list[:limit]
		last := list[len(list)-1]
		p.Next = &InvoiceCursor{Date: last.Date, ID: last.ID}
	}
	p.Invoices = list
	return p, nil
}

// Invoice returns one invoice of inburgeraar id.
func (s *Service) Invoice(ctx context.Context, id, invoiceID int64) (domain.Invoice, error) {
	return s.invoices.Invoice(ctx, id, invoiceID)
}

// Audit actions of invoice decisions.
const (
	AuditInvoiceDecided = "factuur_besluit"
	AuditInvoiceRefused = "factuur_besluit_geweigerd"
)

// DecideInvoice records inburgeraar id's decision (accept, or reject with a reason) on one of
// their open invoices, in one transaction with its audit entry. channel names the face ("portal",
// "api"). A decision on an invoice that is not theirs (not found, so nothing leaks), one already
// decided, or one DUO already paid is refused, changes nothing and is audited as refused.
func (s *Service) DecideInvoice(ctx context.Context, id, invoiceID int64, d domain.InvoiceDecision, reason, channel string) (domain.Invoice, error) {
	person, err := s.people.Inburgeraar(ctx, id)
	if err != nil {
		return domain.Invoice{}, err
	}
	subject := s.Pseudonym(person.BSN)
	var out domain.Invoice
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		st := s.invoices
		inv, err := st.Invoice(ctx, id, invoiceID)
		if err != nil {
			return err
		}
		// Microseconds: what both databases keep, so the answer equals what is stored.
		decided, err := inv.Decide(d, reason, s.Now().Truncate(time.Microsecond))
		if err != nil {
			return err
		}
		if err := st.SaveInvoiceDecision(ctx, id, decided); err != nil {
			return err
		}
		out = decided
		return s.audit.AppendAudit(ctx, AuditEntry{
			At: s.Now().UTC(), Actor: "inburgeraar", Action: AuditInvoiceDecided, Subject: subject,
			Details: fmt.Sprintf("factuur=%d besluit=%s kanaal=%s", invoiceID, decided.Status, channel),
		})
	})
	switch domain.ErrorKind(err) {
	case domain.KindNotFound, domain.KindConflict:
		// The refusal is audited after the transaction rolled back, so it is kept; the reason
		// text is never written to the audit log.
		var de *domain.Error
		errors.As(err, &de)
		msg := de.MessageID
		if aerr := s.audit.AppendAudit(ctx, AuditEntry{
			At: s.Now().UTC(), Actor: "inburgeraar", Action: AuditInvoiceRefused, Subject: subject,
			Details: fmt.Sprintf("factuur=%d besluit=%s kanaal=%s weigering=%s", invoiceID, auditDecision(d), channel, msg),
		}); aerr != nil {
			return domain.Invoice{}, aerr
		}
	}
	if err != nil {
		return domain.Invoice{}, err
	}
	return out, nil
}

// auditDecision keeps what an attempt asked for short and free of whatever a client sent.
func auditDecision(d domain.InvoiceDecision) string {
	if d == domain.DecisionAccept || d == domain.DecisionReject {
		return string(d)
	}
	return "onbekend"
}
