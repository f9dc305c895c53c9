package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"gorm.io/gorm"

	"github.com/inburgering/portal/internal/app"
	"github.com/inburgering/portal/internal/domain"
)

// The overview's records in ONE statement per dialect (issue 12): the person and its rule facts as
// columns, the unread count as a scalar subquery, and each list as a JSON array built by a scalar
// subquery, in the order the separate reads use. One statement is one snapshot on both databases,
// so it needs no transaction around it. It runs on database/sql directly (no gorm reflection).
// The separate reads (Inburgeraar, Extensions, PIPs, Invoices, UnreadCount, RuleFacts,
// FineDecisions) stay for every other caller; TestOverviewRecordsEqualSeparateReads holds the two
// equal on both databases.

const overviewSelectPerson = `SELECT i.id, i.bsn, i.naam, i.doelgroep, i.startdatum_plicht, i.betaler, i.voorkeurstaal, i.gemeente,
	i.kennisgevingsdatum, i.plicht_voldaan_op, i.ontheffing_op, i.lening_maximum_centen,
	r.brp_inschrijfdatum, r.wacht_op_derden, r.termijn_einddatum_gemeente, r.keurmerk_uren, r.examenpogingen,
	r.open_onderdelen_einde_termijn, r.gezinslid_asielstatushouder,
	(SELECT count(*) FROM berichten b WHERE b.inburgeraar_id = i.id AND b.gelezen_op IS NULL),`

const overviewSQLPostgres = overviewSelectPerson + `
	(SELECT json_agg(json_build_object('g', v.grond, 'm', v.maanden, 'd', v.besluitdatum, 'k', v.kenmerk) ORDER BY v.besluitdatum, v.id)
		FROM verlengingen v WHERE v.inburgeraar_id = i.id),
	(SELECT json_agg(json_build_object('id', p.id, 'd', p.datum, 'g', p.gemeente, 'r', p.leerroute, 'o',
			(SELECT json_agg(json_build_object('s', o.soort, 't', o.status, 'b', o.uren_behaald, 'v', o.uren_vereist) ORDER BY o.volgorde, o.id)
				FROM pip_onderdelen o WHERE o.pip_id = p.id)) ORDER BY p.datum, p.id)
		FROM pips p WHERE p.inburgeraar_id = i.id),
	(SELECT json_agg(json_build_object('id', f.id, 's', f.school, 'a', f.bedrag_centen, 'd', f.factuurdatum, 'pv', f.periode_van,
			'pt', f.periode_tot, 'st', f.status, 'r', f.reden, 'bo', f.besloten_op, 'bt', f.betaald_op) ORDER BY f.factuurdatum, f.id)
		FROM facturen f WHERE f.inburgeraar_id = i.id),
	(SELECT json_agg(json_build_object('d', x.besluitdatum, 'a', x.bedrag_centen, 'k', x.kenmerk) ORDER BY x.besluitdatum, x.id)
		FROM boetes x WHERE x.inburgeraar_id = i.id)
FROM inburgeraars i LEFT JOIN regelgegevens r ON r.inburgeraar_id = i.id
WHERE i.id = $1`

// SQLite: json_group_array gives '[]' over no rows; a nested array loses its JSON subtype through
// a scalar subquery, so json() restores it.
const overviewSQLSQLite = overviewSelectPerson + `
	(SELECT json_group_array(json_object('g', v.grond, 'm', v.maanden, 'd', v.besluitdatum, 'k', v.kenmerk) ORDER BY v.besluitdatum, v.id)
		FROM verlengingen v WHERE v.inburgeraar_id = i.id),
	(SELECT json_group_array(json_object('id', p.id, 'd', p.datum, 'g', p.gemeente, 'r', p.leerroute, 'o',
			json((SELECT json_group_array(json_object('s', o.soort, 't', o.status, 'b', o.uren_behaald, 'v', o.uren_vereist) ORDER BY o.volgorde, o.id)
				FROM pip_onderdelen o WHERE o.pip_id = p.id))) ORDER BY p.datum, p.id)
		FROM pips p WHERE p.inburgeraar_id = i.id),
	(SELECT json_group_array(json_object('id', f.id, 's', f.school, 'a', f.bedrag_centen, 'd', f.factuurdatum, 'pv', f.periode_van,
			'pt', f.periode_tot, 'st', f.status, 'r', f.reden, 'bo', f.besloten_op, 'bt', f.betaald_op) ORDER BY f.factuurdatum, f.id)
		FROM facturen f WHERE f.inburgeraar_id = i.id),
	(SELECT json_group_array(json_object('d', x.besluitdatum, 'a', x.bedrag_centen, 'k', x.kenmerk) ORDER BY x.besluitdatum, x.id)
		FROM boetes x WHERE x.inburgeraar_id = i.id)
FROM inburgeraars i LEFT JOIN regelgegevens r ON r.inburgeraar_id = i.id
WHERE i.id = ?`

func (s *Store) overviewSQL() string {
	if s.dialect == Postgres {
		return overviewSQLPostgres
	}
	return overviewSQLSQLite
}

// preparedReads holds the SQLite reader pool's prepared statements (prepared on first use, after
// the migrations): SQLite compiles a statement again on every query otherwise. PostgreSQL needs
// none: pgx prepares and caches each statement per connection itself.
type preparedReads struct {
	mu    sync.Mutex
	stmts map[string]*sql.Stmt
}

// query runs a read-only statement on database/sql, bypassing gorm: in the transaction ctx
// carries when there is one, else on the reader pool (on SQLite prepared once).
func (s *Store) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	defer s.observe(query)
	if tx, ok := ctx.Value(txKey{}).(*gorm.DB); ok {
		return tx.Statement.ConnPool.QueryContext(ctx, query, args...)
	}
	if s.dialect != SQLite {
		return s.readSQL.QueryContext(ctx, query, args...)
	}
	stmt, err := s.prepared.stmt(ctx, s.readSQL, query)
	if err != nil {
		return s.readSQL.QueryContext(ctx, query, args...)
	}
	return stmt.QueryContext(ctx, args...)
}

func (p *preparedReads) stmt(ctx context.Context, db *sql.DB, query string) (*sql.Stmt, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if st, ok := p.stmts[query]; ok {
		return st, nil
	}
	st, err := db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if p.stmts == nil {
		p.stmts = map[string]*sql.Stmt{}
	}
	p.stmts[query] = st
	return st, nil
}

func (p *preparedReads) close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	var err error
	for _, st := range p.stmts {
		err = errors.Join(err, st.Close())
	}
	p.stmts = nil
	return err
}

// observe tells the OnStatement observers about a statement run outside gorm.
func (s *Store) observe(query string) {
	if fns := s.observers.Load(); fns != nil {
		for _, fn := range *fns {
			fn(query)
		}
	}
}

type extensionJSON struct {
	Ground string `json:"g"`
	Months int    `json:"m"`
	Date   string `json:"d"`
	Ref    string `json:"k"`
}

type componentJSON struct {
	Kind     string `json:"s"`
	Status   string `json:"t"`
	Done     int    `json:"b"`
	Required int    `json:"v"`
}

type pipJSON struct {
	ID         int64           `json:"id"`
	Date       string          `json:"d"`
	Gemeente   string          `json:"g"`
	Route      string          `json:"r"`
	Components []componentJSON `json:"o"`
}

type invoiceJSON struct {
	ID          int64   `json:"id"`
	School      string  `json:"s"`
	Amount      int64   `json:"a"`
	Date        string  `json:"d"`
	PeriodStart string  `json:"pv"`
	PeriodEnd   string  `json:"pt"`
	Status      string  `json:"st"`
	Reason      *string `json:"r"`
	DecidedAt   *string `json:"bo"`
	PaidOn      *string `json:"bt"`
}

type fineJSON struct {
	Date   string `json:"d"`
	Amount int64  `json:"a"`
	Ref    string `json:"k"`
}

// OverviewRecords implements app.OverviewData: everything the overview reads, in one statement.
func (s *Store) OverviewRecords(ctx context.Context, id int64) (app.OverviewRecords, error) {
	rows, err := s.query(ctx, s.overviewSQL(), id)
	if err != nil {
		return app.OverviewRecords{}, wrap(err, "")
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return app.OverviewRecords{}, wrap(err, "")
		}
		return app.OverviewRecords{}, domain.Errorf(domain.KindNotFound, "error.inburgeraar_not_found")
	}
	var (
		p                            inburgeraarRow
		brp, gemeenteEnd             *time.Time
		thirdParty, asylumFamily     sql.NullBool
		keurmerk, openParts          sql.NullInt64
		attempts                     sql.NullString
		unread                       int64
		extJ, pipJ, invJ, fineJ      sql.NullString
		exts                         []extensionJSON
		pips                         []pipJSON
		invs                         []invoiceJSON
		fines                        []fineJSON
		decodeErr                    error
		rec                          app.OverviewRecords
		startdatum, kennis, met, exe any
	)
	err = rows.Scan(&p.ID, &p.BSN, &p.Naam, &p.Doelgroep, &startdatum, &p.Betaler, &p.Voorkeurstaal, &p.Gemeente,
		&kennis, &met, &exe, &p.LeningMaximumCenten,
		&brp, &thirdParty, &gemeenteEnd, &keurmerk, &attempts, &openParts, &asylumFamily,
		&unread, &extJ, &pipJ, &invJ, &fineJ)
	if err == nil {
		err = rows.Close()
	}
	if err != nil {
		return rec, wrap(err, "")
	}
	if p.StartdatumPlicht, err = timeOf(startdatum); err != nil {
		return rec, wrap(err, "")
	}
	for _, f := range []struct {
		src any
		dst **time.Time
	}{{kennis, &p.Kennisgevingsdatum}, {met, &p.PlichtVoldaanOp}, {exe, &p.OntheffingOp}} {
		if f.src == nil {
			continue
		}
		t, err := timeOf(f.src)
		if err != nil {
			return rec, wrap(err, "")
		}
		*f.dst = &t
	}
	if rec.Person, err = p.domain(); err != nil {
		return rec, wrap(err, "")
	}
	rec.Unread = int(unread)
	rec.Facts = domain.RuleFacts{
		BRPRegistration: datePtr(brp), ThirdPartyAwaited: thirdParty.Bool, GemeenteTermEnd: datePtr(gemeenteEnd),
		KeurmerkHours: int(keurmerk.Int64), AsylumFamilyMember: asylumFamily.Bool,
	}
	if openParts.Valid {
		n := int(openParts.Int64)
		rec.Facts.OpenPartsAtTermEnd = &n
	}
	if attempts.Valid {
		rec.Facts.Attempts = domain.FineAttempts(attempts.String)
	}

	decode := func(src sql.NullString, dst any) {
		if decodeErr == nil && src.Valid && src.String != "" {
			decodeErr = decodeList(src.String, dst)
		}
	}
	decode(extJ, &exts)
	decode(pipJ, &pips)
	decode(invJ, &invs)
	decode(fineJ, &fines)
	if decodeErr != nil {
		return rec, wrap(fmt.Errorf("overview of %d: %w", id, decodeErr), "")
	}
	// The same values the separate reads give: empty lists are empty, not nil.
	rec.Extensions = make([]domain.Extension, len(exts))
	for i, e := range exts {
		d, err := storedDate(e.Date)
		if err != nil {
			return rec, wrap(err, "")
		}
		rec.Extensions[i] = domain.Extension{Ground: domain.ExtensionGround(e.Ground), Months: e.Months, DecisionDate: d, Reference: e.Ref}
	}
	rec.PIPs = make([]domain.PIP, len(pips))
	for i, r := range pips {
		route, err := domain.ParseLearningRoute(r.Route)
		if err != nil {
			return rec, wrap(fmt.Errorf("pip %d: leerroute %q: %w", r.ID, r.Route, err), "")
		}
		d, err := storedDate(r.Date)
		if err != nil {
			return rec, wrap(err, "")
		}
		pip := domain.PIP{Date: d, Gemeente: r.Gemeente, Route: route}
		for _, c := range r.Components {
			pip.Components = append(pip.Components, domain.Component{Kind: domain.ComponentKind(c.Kind), Status: domain.ComponentStatus(c.Status), HoursDone: c.Done, HoursRequired: c.Required})
		}
		rec.PIPs[i] = pip
	}
	rec.Invoices = make([]domain.Invoice, len(invs))
	for i, r := range invs {
		row := factuurRow{ID: r.ID, InburgeraarID: id, School: r.School, BedragCenten: r.Amount, Status: r.Status, Reden: r.Reason}
		for _, f := range []struct {
			src string
			dst *time.Time
		}{{r.Date, &row.Factuurdatum}, {r.PeriodStart, &row.PeriodeVan}, {r.PeriodEnd, &row.PeriodeTot}} {
			if *f.dst, err = parseStoredTime(f.src); err != nil {
				return rec, wrap(err, "")
			}
		}
		for _, f := range []struct {
			src *string
			dst **time.Time
		}{{r.DecidedAt, &row.BeslotenOp}, {r.PaidOn, &row.BetaaldOp}} {
			if f.src == nil {
				continue
			}
			t, err := parseStoredTime(*f.src)
			if err != nil {
				return rec, wrap(err, "")
			}
			*f.dst = &t
		}
		rec.Invoices[i] = row.domain()
	}
	rec.Fines = make([]domain.FineDecision, len(fines))
	for i, f := range fines {
		d, err := storedDate(f.Date)
		if err != nil {
			return rec, wrap(err, "")
		}
		rec.Fines[i] = domain.FineDecision{Date: d, Amount: domain.Cents(f.Amount), Reference: f.Ref}
	}
	return rec, nil
}

// timeOf is a scanned date column: a time.Time from either driver, or on SQLite the stored text
// the driver could not read as a time (then refused, as gorm refuses it).
func timeOf(v any) (time.Time, error) {
	switch x := v.(type) {
	case time.Time:
		return x, nil
	case string:
		return parseStoredTime(x)
	case []byte:
		return parseStoredTime(string(x))
	}
	return time.Time{}, fmt.Errorf("date column: unexpected %T", v)
}

func storedDate(s string) (domain.Date, error) {
	t, err := parseStoredTime(s)
	return dateOf(t), err
}

// storedTimeFormats are the formats a date or time arrives in inside the JSON: PostgreSQL writes a
// date as 2006-01-02 and a timestamptz as RFC 3339; SQLite returns the stored text, which the
// SQLite driver (glebarez/go-sqlite) writes as its first format and reads in any of these, in this
// order and in UTC when the text has no offset, as its parseTime does.
var storedTimeFormats = []string{
	"2006-01-02 15:04:05.999999999-07:00",
	"2006-01-02T15:04:05.999999999-07:00",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05",
	"2006-01-02T15:04:05",
	"2006-01-02 15:04",
	"2006-01-02T15:04",
	"2006-01-02",
}

// parseStoredTime reads a date or time as the drivers read the column itself, so that the
// one-statement read gives the values the separate reads give.
func parseStoredTime(s string) (time.Time, error) {
	if len(s) == 10 { // the common case, a date: 2006-01-02
		if t, err := time.ParseInLocation("2006-01-02", s, time.UTC); err == nil {
			return t, nil
		}
	}
	if x := strings.Index(s, "m="); x > 0 || strings.Count(s, " ") >= 3 {
		// The text of time.Time.String(), which the SQLite driver also accepts.
		v := s
		if x > 0 {
			v = s[:x]
		}
		if t, err := time.Parse("2006-01-02 15:04:05.999999999 -0700 MST", strings.TrimSpace(v)); err == nil {
			return t, nil
		}
	}
	ts := strings.TrimSuffix(s, "Z")
	for _, f := range storedTimeFormats {
		if t, err := time.ParseInLocation(f, ts, time.UTC); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("stored time %q: not a date or time", s)
}

// rebind turns a statement written with ? placeholders into PostgreSQL's $1, $2, ….
func rebind(q string) string {
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// dialectSQL is one statement in both dialects' placeholders.
type dialectSQL struct{ sqlite, postgres string }

func newDialectSQL(q string) dialectSQL { return dialectSQL{sqlite: q, postgres: rebind(q)} }

func (d dialectSQL) of(s *Store) string {
	if s.dialect == Postgres {
		return d.postgres
	}
	return d.sqlite
}

// The hot single-row reads of every logged-in request, on database/sql without gorm: the session,
// the bearer token and the person (profile).
var (
	sessionSQL          = newDialectSQL(`SELECT soort, inburgeraar_id, medewerker, medewerker_id, rol, logout_hint, aangemaakt_op, laatst_gezien_op FROM sessies WHERE id_hash = ?`)
	apiTokenSQL         = newDialectSQL(`SELECT inburgeraar_id FROM api_tokens WHERE hash = ? AND verloopt_op > ?`)
	inburgeraarSQL      = newDialectSQL(inburgeraarColumns + ` WHERE id = ?`)
	inburgeraarByBSNSQL = newDialectSQL(inburgeraarColumns + ` WHERE bsn = ?`)
	schoolByClientIDSQL = newDialectSQL(`SELECT id, client_id, naam, bow_nummer, keurmerk_geldig_tot, jwks, scopes, aangemaakt_op, ingetrokken_op FROM scholen WHERE client_id = ?`)
)

const inburgeraarColumns = `SELECT id, bsn, naam, doelgroep, startdatum_plicht, betaler, voorkeurstaal, gemeente, kennisgevingsdatum, plicht_voldaan_op, ontheffing_op, lening_maximum_centen, persona FROM inburgeraars`

// queryRow runs a one-row read (see query) and scans it into dest; sql.ErrNoRows when there is none.
func (s *Store) queryRow(ctx context.Context, q dialectSQL, args []any, dest ...any) error {
	rows, err := s.query(ctx, q.of(s), args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return err
		}
		return sql.ErrNoRows
	}
	if err := rows.Scan(dest...); err != nil {
		return err
	}
	return rows.Close()
}

// wrapRow is wrap for queryRow: no row is not found with notFoundID.
func wrapRow(err error, notFoundID string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return domain.Errorf(domain.KindNotFound, notFoundID)
	}
	return wrap(err, notFoundID)
}

// PostgresReads returns the PostgreSQL text of the statements the logged-in overview and the
// own-data API run per request: the session's lookup (by the cookie's hash), the API token's
// (by the token's hash and the time now) and the overview statement (by inburgeraar id). The load
// benchmark (bench/) measures a floor with exactly these statements.
func PostgresReads() (session, apiToken, overview string) {
	return sessionSQL.postgres, apiTokenSQL.postgres, overviewSQLPostgres
}
