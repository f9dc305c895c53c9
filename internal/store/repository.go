package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"gorm.io/gorm"

	"github.com/inburgering/portal/internal/app"
	"github.com/inburgering/portal/internal/domain"
)

// The store implements every port of the use cases.
var _ app.Storage = (*Store)(nil)

// wrap turns gorm's errors into domain errors: not found into KindNotFound with notFoundID,
// a duplicate key or a reference to a missing row into KindConflict (gorm translates the
// driver's codes, see TranslateError in Open); anything else, a violated check constraint
// included (the domain refuses such input before it gets here), is an internal error.
func wrap(err error, notFoundID string) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, gorm.ErrRecordNotFound):
		return domain.Errorf(domain.KindNotFound, notFoundID)
	case errors.Is(err, gorm.ErrDuplicatedKey), errors.Is(err, gorm.ErrForeignKeyViolated):
		return &domain.Error{Kind: domain.KindConflict, MessageID: "error.conflict", Err: err}
	case Unavailable(err):
		return &domain.Error{Kind: domain.KindUnavailable, MessageID: "error.unavailable", Err: err}
	default:
		return &domain.Error{Kind: domain.KindInternal, MessageID: "error.internal", Err: err}
	}
}

func dateOf(t time.Time) domain.Date { return domain.NewDate(t.Year(), t.Month(), t.Day()) }

func datePtr(t *time.Time) *domain.Date {
	if t == nil {
		return nil
	}
	d := dateOf(*t)
	return &d
}

func timePtr(d *domain.Date) *time.Time {
	if d == nil {
		return nil
	}
	t := d.Time()
	return &t
}

type txKey struct{}

// conn is the transaction ctx carries (see InTx), else the pool.
func (s *Store) conn(ctx context.Context) *gorm.DB {
	if tx, ok := ctx.Value(txKey{}).(*gorm.DB); ok {
		return tx
	}
	return s.db
}

// InTx implements app.Transactor: every call made with the ctx fn receives runs in one
// transaction. Called with the ctx of an open transaction, it nests (a savepoint).
func (s *Store) InTx(ctx context.Context, fn func(ctx context.Context) error) error {
	if at, ok := ctx.Value(atomicKey{}).(*atomicTx); ok {
		if _, ok := ctx.Value(txKey{}).(*gorm.DB); ok {
			// Within InAtomicTx: join it without a savepoint; a failure dooms the whole of it.
			err := fn(ctx)
			if err != nil {
				at.doomed.Store(true)
			}
			return err
		}
	}
	return s.q(ctx).Transaction(func(tx *gorm.DB) error {
		return fn(context.WithValue(ctx, txKey{}, tx))
	})
}

type atomicKey struct{}

// atomicTx is the state of an InAtomicTx transaction.
type atomicTx struct{ doomed atomic.Bool }

// InAtomicTx implements app.AtomicTransactor: fn runs in one transaction that is committed only
// when fn succeeds and no InTx nested in it failed (then it is rolled back and the answer is
// app.ErrTxDoomed, whatever fn returned). A nested InTx therefore joins it without a savepoint,
// which saves two statements each. Called with the ctx of an open transaction, it nests as InTx does.
func (s *Store) InAtomicTx(ctx context.Context, fn func(ctx context.Context) error) error {
	if _, ok := ctx.Value(txKey{}).(*gorm.DB); ok {
		return s.InTx(ctx, fn)
	}
	at := &atomicTx{}
	return s.q(ctx).Transaction(func(tx *gorm.DB) error {
		err := fn(context.WithValue(context.WithValue(ctx, txKey{}, tx), atomicKey{}, at))
		if err == nil && at.doomed.Load() {
			return app.ErrTxDoomed
		}
		return err
	})
}

// domain converts a row, refusing codes this binary does not know (a row written by hand or
// by a newer version) rather than computing with them.
func (r inburgeraarRow) domain() (domain.Inburgeraar, error) {
	group, err := domain.ParseTargetGroup(r.Doelgroep)
	if err != nil {
		return domain.Inburgeraar{}, fmt.Errorf("inburgeraar %d: doelgroep %q: %w", r.ID, r.Doelgroep, err)
	}
	payer, err := domain.ParsePayer(r.Betaler)
	if err != nil {
		return domain.Inburgeraar{}, fmt.Errorf("inburgeraar %d: betaler %q: %w", r.ID, r.Betaler, err)
	}
	i := domain.Inburgeraar{
		ID: r.ID, BSN: domain.BSN(r.BSN), Name: r.Naam, TargetGroup: group,
		ObligationStart: dateOf(r.StartdatumPlicht), Payer: payer, PreferredLanguage: r.Voorkeurstaal,
		Gemeente: r.Gemeente, NoticeDate: datePtr(r.Kennisgevingsdatum), ObligationMetOn: datePtr(r.PlichtVoldaanOp),
		ExemptedOn: datePtr(r.OntheffingOp),
	}
	if r.LeningMaximumCenten != nil {
		c := domain.Cents(*r.LeningMaximumCenten)
		i.LoanMaximum = &c
	}
	return i, nil
}

func (s *Store) inburgeraarWhere(ctx context.Context, query string, arg any) (domain.Inburgeraar, error) {
	var row inburgeraarRow
	if err := s.q(ctx).Where(query, arg).Take(&row).Error; err != nil {
		return domain.Inburgeraar{}, wrap(err, "error.inburgeraar_not_found")
	}
	i, err := row.domain()
	return i, wrap(err, "")
}

// Inburgeraar implements the app's ports.
func (s *Store) Inburgeraar(ctx context.Context, id int64) (domain.Inburgeraar, error) {
	return s.inburgeraarBy(ctx, inburgeraarSQL, id)
}

// InburgeraarByBSN implements the app's ports (every hour declaration and contract of a school
// looks its student up by BSN: plain SQL, no gorm reflection).
func (s *Store) InburgeraarByBSN(ctx context.Context, bsn domain.BSN) (domain.Inburgeraar, error) {
	return s.inburgeraarBy(ctx, inburgeraarByBSNSQL, string(bsn))
}

func (s *Store) inburgeraarBy(ctx context.Context, q dialectSQL, arg any) (domain.Inburgeraar, error) {
	var r inburgeraarRow
	err := s.queryRow(ctx, q, []any{arg}, &r.ID, &r.BSN, &r.Naam, &r.Doelgroep, &r.StartdatumPlicht, &r.Betaler, &r.Voorkeurstaal,
		&r.Gemeente, &r.Kennisgevingsdatum, &r.PlichtVoldaanOp, &r.OntheffingOp, &r.LeningMaximumCenten, &r.Persona)
	if err != nil {
		return domain.Inburgeraar{}, wrapRow(err, "error.inburgeraar_not_found")
	}
	i, err := r.domain()
	return i, wrap(err, "")
}

// InburgeraarByPersona implements the app's ports.
func (s *Store) InburgeraarByPersona(ctx context.Context, key string) (domain.Inburgeraar, error) {
	i, err := s.inburgeraarWhere(ctx, "persona = ?", key)
	var de *domain.Error
	if errors.As(err, &de) && de.Kind == domain.KindNotFound {
		return i, domain.Errorf(domain.KindNotFound, "error.persona_unknown")
	}
	return i, err
}

// Personas implements the app's ports.
func (s *Store) Personas(ctx context.Context) ([]app.Persona, error) {
	var rows []inburgeraarRow
	if err := s.q(ctx).Where("persona IS NOT NULL").Order("id").Find(&rows).Error; err != nil {
		return nil, wrap(err, "")
	}
	out := make([]app.Persona, len(rows))
	for i, r := range rows {
		out[i] = app.Persona{Key: *r.Persona, InburgeraarID: r.ID, Name: r.Naam}
	}
	return out, nil
}

// CreateInburgeraar implements the app's ports.
func (s *Store) CreateInburgeraar(ctx context.Context, i *domain.Inburgeraar, persona string) error {
	row := inburgeraarRow{
		BSN: string(i.BSN), Naam: i.Name, Doelgroep: string(i.TargetGroup), StartdatumPlicht: i.ObligationStart.Time(),
		Betaler: string(i.Payer), Voorkeurstaal: i.PreferredLanguage, Gemeente: i.Gemeente,
		Kennisgevingsdatum: timePtr(i.NoticeDate), PlichtVoldaanOp: timePtr(i.ObligationMetOn), OntheffingOp: timePtr(i.ExemptedOn),
	}
	if row.Voorkeurstaal == "" {
		row.Voorkeurstaal = "nl"
	}
	if i.LoanMaximum != nil {
		c := int64(*i.LoanMaximum)
		row.LeningMaximumCenten = &c
	}
	if persona != "" {
		row.Persona = &persona
	}
	if err := s.q(ctx).Create(&row).Error; err != nil {
		return wrap(err, "")
	}
	i.ID = row.ID
	return nil
}

// SetPreferredLanguage implements the app's ports.
func (s *Store) SetPreferredLanguage(ctx context.Context, id int64, lang string) error {
	res := s.q(ctx).Model(&inburgeraarRow{}).Where("id = ?", id).Update("voorkeurstaal", lang)
	if res.Error == nil && res.RowsAffected == 0 {
		return domain.Errorf(domain.KindNotFound, "error.inburgeraar_not_found")
	}
	return wrap(res.Error, "")
}

// Extensions implements the app's ports.
func (s *Store) Extensions(ctx context.Context, id int64) ([]domain.Extension, error) {
	var rows []verlengingRow
	if err := s.q(ctx).Where("inburgeraar_id = ?", id).Order("besluitdatum, id").Find(&rows).Error; err != nil {
		return nil, wrap(err, "")
	}
	out := make([]domain.Extension, len(rows))
	for i, r := range rows {
		out[i] = domain.Extension{Ground: domain.ExtensionGround(r.Grond), Months: r.Maanden, DecisionDate: dateOf(r.Besluitdatum), Reference: r.Kenmerk}
	}
	return out, nil
}

// AddExtension implements the app's ports.
func (s *Store) AddExtension(ctx context.Context, id int64, e domain.Extension) error {
	return wrap(s.q(ctx).Create(&verlengingRow{InburgeraarID: id, Grond: string(e.Ground), Maanden: e.Months, Besluitdatum: e.DecisionDate.Time(), Kenmerk: e.Reference}).Error, "")
}

// PIPs implements the app's ports.
func (s *Store) PIPs(ctx context.Context, id int64) ([]domain.PIP, error) {
	var rows []pipRow
	err := s.q(ctx).Preload("Onderdelen", func(db *gorm.DB) *gorm.DB { return db.Order("volgorde, id") }).
		Where("inburgeraar_id = ?", id).Order("datum, id").Find(&rows).Error
	if err != nil {
		return nil, wrap(err, "")
	}
	out := make([]domain.PIP, len(rows))
	for i, r := range rows {
		route, err := domain.ParseLearningRoute(r.Leerroute)
		if err != nil {
			return nil, wrap(fmt.Errorf("pip %d: leerroute %q: %w", r.ID, r.Leerroute, err), "")
		}
		p := domain.PIP{Date: dateOf(r.Datum), Gemeente: r.Gemeente, Route: route}
		for _, o := range r.Onderdelen {
			p.Components = append(p.Components, domain.Component{Kind: domain.ComponentKind(o.Soort), Status: domain.ComponentStatus(o.Status), HoursDone: o.UrenBehaald, HoursRequired: o.UrenVereist})
		}
		out[i] = p
	}
	return out, nil
}

// AddPIP implements the app's ports.
func (s *Store) AddPIP(ctx context.Context, id int64, p domain.PIP) error {
	row := pipRow{InburgeraarID: id, Datum: p.Date.Time(), Gemeente: p.Gemeente, Leerroute: string(p.Route)}
	for i, c := range p.Components {
		row.Onderdelen = append(row.Onderdelen, pipOnderdeelRow{Volgorde: i, Soort: string(c.Kind), Status: string(c.Status), UrenBehaald: c.HoursDone, UrenVereist: c.HoursRequired})
	}
	return wrap(s.q(ctx).Create(&row).Error, "")
}

// Invoices implements the app's ports.
func (s *Store) Invoices(ctx context.Context, id int64) ([]domain.Invoice, error) {
	var rows []factuurRow
	if err := s.q(ctx).Where("inburgeraar_id = ?", id).Order("factuurdatum, id").Find(&rows).Error; err != nil {
		return nil, wrap(err, "")
	}
	out := make([]domain.Invoice, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, nil
}

// AddInvoice implements the app's ports.
func (s *Store) AddInvoice(ctx context.Context, id int64, inv domain.Invoice) error {
	row := factuurRow{
		InburgeraarID: id, School: inv.School, BedragCenten: int64(inv.Amount), Factuurdatum: inv.Date.Time(),
		PeriodeVan: inv.PeriodStart.Time(), PeriodeTot: inv.PeriodEnd.Time(), Status: string(inv.Status),
		BeslotenOp: utcPtr(inv.DecidedAt), BetaaldOp: timePtr(inv.PaidOn),
	}
	if inv.Status == "" {
		row.Status = string(domain.InvoiceOpen)
	}
	if inv.PeriodStart.IsZero() || inv.PeriodEnd.IsZero() {
		row.PeriodeVan, row.PeriodeTot = row.Factuurdatum, row.Factuurdatum
	}
	if inv.Reason != "" {
		row.Reden = &inv.Reason
	}
	return wrap(s.q(ctx).Create(&row).Error, "")
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC().Truncate(time.Microsecond)
	return &u
}

func (r factuurRow) domain() domain.Invoice {
	inv := domain.Invoice{
		ID: r.ID, School: r.School, Amount: domain.Cents(r.BedragCenten), Date: dateOf(r.Factuurdatum),
		PeriodStart: dateOf(r.PeriodeVan), PeriodEnd: dateOf(r.PeriodeTot), Status: domain.InvoiceStatus(r.Status),
		PaidOn: datePtr(r.BetaaldOp),
	}
	if r.Reden != nil {
		inv.Reason = *r.Reden
	}
	if r.BeslotenOp != nil {
		t := r.BeslotenOp.UTC()
		inv.DecidedAt = &t
	}
	return inv
}

var _ app.InvoiceStore = (*Store)(nil)

// InvoicePage implements app.InvoiceStore: newest first, keyset-paginated on (factuurdatum, id).
func (s *Store) InvoicePage(ctx context.Context, id int64, after *app.InvoiceCursor, limit int) ([]domain.Invoice, error) {
	// Plain SQL (the API's invoice list and the portal's invoices page): no gorm reflection.
	q, args := invoicePageSQL.of(s), []any{id, limit}
	if after != nil {
		d := after.Date.Time()
		q, args = invoicePageAfterSQL.of(s), []any{id, d, d, after.ID, limit}
	}
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return nil, wrap(err, "")
	}
	defer rows.Close()
	out := []domain.Invoice{}
	for rows.Next() {
		var r factuurRow
		if err := rows.Scan(&r.ID, &r.InburgeraarID, &r.School, &r.BedragCenten, &r.Factuurdatum, &r.PeriodeVan, &r.PeriodeTot,
			&r.Status, &r.Reden, &r.BeslotenOp, &r.BetaaldOp); err != nil {
			return nil, wrap(err, "")
		}
		out = append(out, r.domain())
	}
	return out, wrap(rows.Err(), "")
}

const invoiceColumns = `SELECT id, inburgeraar_id, school, bedrag_centen, factuurdatum, periode_van, periode_tot, status, reden,
	besloten_op, betaald_op FROM facturen WHERE inburgeraar_id = ?`

var (
	invoicePageSQL      = newDialectSQL(invoiceColumns + ` ORDER BY factuurdatum DESC, id DESC LIMIT ?`)
	invoicePageAfterSQL = newDialectSQL(invoiceColumns + ` AND (factuurdatum < ? OR (factuurdatum = ? AND id < ?)) ORDER BY factuurdatum DESC, id DESC LIMIT ?`)
)

// Invoice implements app.InvoiceStore.
func (s *Store) Invoice(ctx context.Context, id, invoiceID int64) (domain.Invoice, error) {
	var row factuurRow
	if err := s.q(ctx).Where("inburgeraar_id = ? AND id = ?", id, invoiceID).Take(&row).Error; err != nil {
		return domain.Invoice{}, wrap(err, "error.invoice_not_found")
	}
	return row.domain(), nil
}

// SaveInvoiceDecision implements app.InvoiceStore. The update only touches an open invoice, so a
// decision made meanwhile by another request is never overwritten.
func (s *Store) SaveInvoiceDecision(ctx context.Context, id int64, inv domain.Invoice) error {
	var reden *string
	if inv.Reason != "" {
		reden = &inv.Reason
	}
	res := s.q(ctx).Model(&factuurRow{}).
		Where("inburgeraar_id = ? AND id = ? AND status = ?", id, inv.ID, string(domain.InvoiceOpen)).
		Updates(map[string]any{"status": string(inv.Status), "reden": reden, "besloten_op": utcPtr(inv.DecidedAt)})
	if res.Error == nil && res.RowsAffected == 0 {
		return domain.Errorf(domain.KindConflict, "error.invoice_decided")
	}
	return wrap(res.Error, "")
}

func (r berichtRow) domain() (domain.Bericht, error) {
	b := domain.Bericht{ID: r.ID, InburgeraarID: r.InburgeraarID, Kind: domain.BerichtKind(r.Soort), CreatedAt: r.AangemaaktOp.UTC()}
	if r.GelezenOp != nil {
		t := r.GelezenOp.UTC()
		b.ReadAt = &t
	}
	if err := json.Unmarshal([]byte(r.Parameters), &b.Params); err != nil {
		return b, fmt.Errorf("bericht %d parameters: %w", r.ID, err)
	}
	return b, nil
}

// Berichten implements the app's ports: newest first, keyset-paginated on (aangemaakt_op, id).
func (s *Store) Berichten(ctx context.Context, id int64, after *app.BerichtCursor, limit int) ([]domain.Bericht, error) {
	q := s.q(ctx).Where("inburgeraar_id = ?", id)
	if after != nil {
		at := after.CreatedAt.UTC()
		q = q.Where("(aangemaakt_op < ? OR (aangemaakt_op = ? AND id < ?))", at, at, after.ID)
	}
	var rows []berichtRow
	if err := q.Order("aangemaakt_op DESC, id DESC").Limit(limit).Find(&rows).Error; err != nil {
		return nil, wrap(err, "")
	}
	out := make([]domain.Bericht, 0, len(rows))
	for _, r := range rows {
		b, err := r.domain()
		if err != nil {
			return nil, wrap(err, "")
		}
		out = append(out, b)
	}
	return out, nil
}

// Bericht implements the app's ports.
func (s *Store) Bericht(ctx context.Context, id, berichtID int64) (domain.Bericht, error) {
	var row berichtRow
	if err := s.q(ctx).Where("inburgeraar_id = ? AND id = ?", id, berichtID).Take(&row).Error; err != nil {
		return domain.Bericht{}, wrap(err, "error.bericht_not_found")
	}
	b, err := row.domain()
	return b, wrap(err, "")
}

// SetBerichtRead implements the app's ports.
func (s *Store) SetBerichtRead(ctx context.Context, id, berichtID int64, readAt *time.Time) error {
	res := s.q(ctx).Model(&berichtRow{}).Where("inburgeraar_id = ? AND id = ?", id, berichtID).Update("gelezen_op", readAt)
	if res.Error == nil && res.RowsAffected == 0 {
		return domain.Errorf(domain.KindNotFound, "error.bericht_not_found")
	}
	return wrap(res.Error, "")
}

// UnreadCount implements the app's ports.
func (s *Store) UnreadCount(ctx context.Context, id int64) (int, error) {
	var n int64
	err := s.q(ctx).Model(&berichtRow{}).Where("inburgeraar_id = ? AND gelezen_op IS NULL", id).Count(&n).Error
	return int(n), wrap(err, "")
}

// AddBericht implements the app's ports.
func (s *Store) AddBericht(ctx context.Context, b *domain.Bericht) error {
	params, err := json.Marshal(b.Params)
	if err != nil {
		return wrap(err, "")
	}
	if b.Params == nil {
		params = []byte("{}")
	}
	// Microseconds: PostgreSQL keeps no more, and cursors must compare equal on both databases.
	b.CreatedAt = b.CreatedAt.UTC().Truncate(time.Microsecond)
	row := berichtRow{InburgeraarID: b.InburgeraarID, Soort: string(b.Kind), Parameters: string(params), AangemaaktOp: b.CreatedAt, GelezenOp: b.ReadAt}
	if err := s.q(ctx).Create(&row).Error; err != nil {
		return wrap(err, "")
	}
	b.ID = row.ID
	return nil
}

// AppendAudit implements the app's ports.
func (s *Store) AppendAudit(ctx context.Context, e app.AuditEntry) error {
	return wrap(s.q(ctx).Create(&auditRow{Tijdstip: e.At.UTC(), Actor: e.Actor, Actie: e.Action, Subject: e.Subject, Details: e.Details}).Error, "")
}
