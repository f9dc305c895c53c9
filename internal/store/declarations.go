package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"gorm.io/gorm"

	"github.com/inburgering/portal/internal/app"
	"github.com/inburgering/portal/internal/domain"
)

type contractRow struct {
	ID             int64 `gorm:"primaryKey"`
	SchoolID       int64
	InburgeraarID  int64
	Cursussoort    string
	Startdatum     time.Time
	Einddatum      time.Time
	IngekochteUren int
	AangemaaktOp   time.Time
}

func (contractRow) TableName() string { return "contracten" }

type declarationRow struct {
	ID            int64 `gorm:"primaryKey"`
	SchoolID      int64
	InburgeraarID int64
	ContractID    *int64
	Cursussoort   string
	PeriodeVan    time.Time
	PeriodeTot    time.Time
	Uren          int
	Status        string
	TermijnTot    *time.Time
	Vervalsing    bool
	AangemaaktOp  time.Time
}

func (declarationRow) TableName() string { return "urenverklaringen" }

type idempotencyRow struct {
	ClientID       string `gorm:"primaryKey"`
	Sleutel        string `gorm:"primaryKey"`
	Vingerafdruk   string
	AntwoordStatus *int
	Antwoord       *string
	// AntwoordKopregels are the replayed response headers as JSON (migration 00012).
	AntwoordKopregels *string
	AangemaaktOp      time.Time
}

func (idempotencyRow) TableName() string { return "idempotentiesleutels" }

// bsnsOf returns the BSN of each inburgeraar id.
func (s *Store) bsnsOf(ctx context.Context, ids []int64) (map[int64]string, error) {
	var rows []struct {
		ID  int64
		BSN string
	}
	if len(ids) == 0 {
		return map[int64]string{}, nil
	}
	if err := s.q(ctx).Table("inburgeraars").Select("id, bsn").Where("id IN ?", ids).Find(&rows).Error; err != nil {
		return nil, wrap(err, "")
	}
	out := make(map[int64]string, len(rows))
	for _, r := range rows {
		out[r.ID] = r.BSN
	}
	return out, nil
}

func (s *Store) contractsOf(ctx context.Context, rows []contractRow) ([]domain.Contract, error) {
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.InburgeraarID
	}
	bsns, err := s.bsnsOf(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]domain.Contract, len(rows))
	for i, r := range rows {
		out[i] = r.domain(bsns[r.InburgeraarID])
	}
	return out, nil
}

func (s *Store) declarationsOf(ctx context.Context, rows []declarationRow) ([]domain.Declaration, error) {
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.InburgeraarID
	}
	bsns, err := s.bsnsOf(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]domain.Declaration, len(rows))
	for i, r := range rows {
		out[i] = r.domain(bsns[r.InburgeraarID])
	}
	return out, nil
}

func (r contractRow) domain(bsn string) domain.Contract {
	return domain.Contract{
		ID: r.ID, SchoolID: r.SchoolID, InburgeraarID: r.InburgeraarID, BSN: domain.BSN(bsn), CourseType: domain.CourseType(r.Cursussoort),
		Start: dateOf(r.Startdatum), End: dateOf(r.Einddatum), PurchasedHours: r.IngekochteUren, CreatedAt: r.AangemaaktOp.UTC(),
	}
}

func (r declarationRow) domain(bsn string) domain.Declaration {
	return domain.Declaration{
		ID: r.ID, SchoolID: r.SchoolID, InburgeraarID: r.InburgeraarID, BSN: domain.BSN(bsn), ContractID: r.ContractID,
		CourseType: domain.CourseType(r.Cursussoort), PeriodStart: dateOf(r.PeriodeVan), PeriodEnd: dateOf(r.PeriodeTot),
		Hours: r.Uren, Status: domain.DeclarationStatus(r.Status), Deadline: datePtr(r.TermijnTot), Forgery: r.Vervalsing,
		CreatedAt: r.AangemaaktOp.UTC(),
	}
}

// CreateContract implements app.DeclarationStore.
func (s *Store) CreateContract(ctx context.Context, c *domain.Contract) error {
	row := contractRow{SchoolID: c.SchoolID, InburgeraarID: c.InburgeraarID, Cursussoort: string(c.CourseType),
		Startdatum: c.Start.Time(), Einddatum: c.End.Time(), IngekochteUren: c.PurchasedHours, AangemaaktOp: c.CreatedAt.UTC()}
	if err := s.q(ctx).Create(&row).Error; err != nil {
		return wrap(err, "")
	}
	c.ID = row.ID
	return nil
}

// ContractPage implements app.DeclarationStore.
func (s *Store) ContractPage(ctx context.Context, schoolID, afterID int64, limit int) ([]domain.Contract, error) {
	var rows []contractRow
	if err := s.q(ctx).Where("school_id = ? AND id > ?", schoolID, afterID).Order("id").Limit(limit).Find(&rows).Error; err != nil {
		return nil, wrap(err, "")
	}
	return s.contractsOf(ctx, rows)
}

// SchoolRelation implements app.DeclarationStore in one statement: the inburgeraar, left joined
// to the school's contracts with them, with whether the school declared hours of them before; plain
// SQL, no gorm reflection (every declaration runs it).
func (s *Store) SchoolRelation(ctx context.Context, schoolID int64, bsn domain.BSN) (app.SchoolRelation, error) {
	rows, err := s.query(ctx, schoolRelationSQL.of(s), schoolID, schoolID, string(bsn))
	if err != nil {
		return app.SchoolRelation{}, wrap(err, "")
	}
	defer rows.Close()
	rel := app.SchoolRelation{Contracts: []domain.Contract{}}
	found := false
	for rows.Next() {
		var (
			id, school, person  sql.Null[int64]
			kind                sql.Null[string]
			start, end, created sql.Null[time.Time]
			hours               sql.Null[int]
		)
		if err := rows.Scan(&rel.InburgeraarID, &rel.Declared, &id, &school, &person, &kind, &start, &end, &hours, &created); err != nil {
			return app.SchoolRelation{}, wrap(err, "")
		}
		found = true
		if id.Valid {
			r := contractRow{ID: id.V, SchoolID: school.V, InburgeraarID: person.V, Cursussoort: kind.V, Startdatum: start.V,
				Einddatum: end.V, IngekochteUren: hours.V, AangemaaktOp: created.V}
			rel.Contracts = append(rel.Contracts, r.domain(string(bsn)))
		}
	}
	if err := rows.Err(); err != nil {
		return app.SchoolRelation{}, wrap(err, "")
	}
	if !found {
		return app.SchoolRelation{}, domain.Errorf(domain.KindNotFound, "error.inburgeraar_not_found")
	}
	return rel, nil
}

var schoolRelationSQL = newDialectSQL(`SELECT i.id,
	EXISTS (SELECT 1 FROM urenverklaringen u WHERE u.school_id = ? AND u.inburgeraar_id = i.id),
	c.id, c.school_id, c.inburgeraar_id, c.cursussoort, c.startdatum, c.einddatum, c.ingekochte_uren, c.aangemaakt_op
	FROM inburgeraars i LEFT JOIN contracten c ON c.inburgeraar_id = i.id AND c.school_id = ?
	WHERE i.bsn = ? ORDER BY c.id`)

// CreateDeclaration implements app.DeclarationStore.
func (s *Store) CreateDeclaration(ctx context.Context, d *domain.Declaration) error {
	row := declarationRow{SchoolID: d.SchoolID, InburgeraarID: d.InburgeraarID, ContractID: d.ContractID, Cursussoort: string(d.CourseType),
		PeriodeVan: d.PeriodStart.Time(), PeriodeTot: d.PeriodEnd.Time(), Uren: d.Hours, Status: string(d.Status),
		TermijnTot: timePtr(d.Deadline), Vervalsing: d.Forgery, AangemaaktOp: d.CreatedAt.UTC()}
	// Plain SQL (every declaration runs it): one INSERT … RETURNING on both databases.
	db := s.q(ctx)
	q := insertDeclarationSQL.of(s)
	s.observe(q)
	err := db.Statement.ConnPool.QueryRowContext(ctx, q, row.SchoolID, row.InburgeraarID, row.ContractID, row.Cursussoort,
		row.PeriodeVan, row.PeriodeTot, row.Uren, row.Status, row.TermijnTot, row.Vervalsing, row.AangemaaktOp).Scan(&d.ID)
	return wrap(err, "")
}

var insertDeclarationSQL = newDialectSQL(`INSERT INTO urenverklaringen (school_id, inburgeraar_id, contract_id, cursussoort,
	periode_van, periode_tot, uren, status, termijn_tot, vervalsing, aangemaakt_op) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`)

// DeclarationPage implements app.DeclarationStore.
func (s *Store) DeclarationPage(ctx context.Context, schoolID, afterID int64, status domain.DeclarationStatus, limit int) ([]domain.Declaration, error) {
	q := s.q(ctx).Where("school_id = ? AND id > ?", schoolID, afterID)
	if status != "" {
		q = q.Where("status = ?", string(status))
	}
	var rows []declarationRow
	if err := q.Order("id").Limit(limit).Find(&rows).Error; err != nil {
		return nil, wrap(err, "")
	}
	return s.declarationsOf(ctx, rows)
}

// Declaration implements app.DeclarationStore.
func (s *Store) Declaration(ctx context.Context, schoolID, id int64) (domain.Declaration, error) {
	q := s.q(ctx).Where("id = ?", id)
	if schoolID != 0 {
		q = q.Where("school_id = ?", schoolID)
	}
	var row declarationRow
	if err := q.Take(&row).Error; err != nil {
		return domain.Declaration{}, wrap(err, "error.declaration_not_found")
	}
	list, err := s.declarationsOf(ctx, []declarationRow{row})
	if err != nil {
		return domain.Declaration{}, err
	}
	return list[0], nil
}

// SaveDeclarationStep implements app.DeclarationStore: a compare-and-set on the status, so that
// two instances (or a school and the deadline) cannot both move one declaration on.
func (s *Store) SaveDeclarationStep(ctx context.Context, d domain.Declaration, from domain.DeclarationStatus) error {
	res := s.q(ctx).Model(&declarationRow{}).Where("id = ? AND status = ?", d.ID, string(from)).
		Updates(map[string]any{"status": string(d.Status), "termijn_tot": timePtr(d.Deadline), "vervalsing": d.Forgery})
	if res.Error != nil {
		return wrap(res.Error, "")
	}
	if res.RowsAffected == 0 {
		return domain.Errorf(domain.KindConflict, "error.declaration_state")
	}
	return nil
}

// DeclarationsDue implements app.DeclarationStore.
func (s *Store) DeclarationsDue(ctx context.Context, today domain.Date, limit int) ([]int64, error) {
	var ids []int64
	err := s.q(ctx).Model(&declarationRow{}).Where("termijn_tot < ?", today.Time()).Order("termijn_tot, id").Limit(limit).Pluck("id", &ids).Error
	return ids, wrap(err, "")
}

// ClaimIdempotencyKey implements app.IdempotencyStore.
func (s *Store) ClaimIdempotencyKey(ctx context.Context, clientID, key, fingerprint string, at time.Time) (*app.StoredResponse, error) {
	err := s.q(ctx).Create(&idempotencyRow{ClientID: clientID, Sleutel: key, Vingerafdruk: fingerprint, AangemaaktOp: at.UTC()}).Error
	if err == nil {
		return nil, nil
	}
	if !errors.Is(err, gorm.ErrDuplicatedKey) {
		return nil, wrap(err, "")
	}
	var row idempotencyRow
	if err := s.q(ctx).Where("client_id = ? AND sleutel = ?", clientID, key).Take(&row).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			// Released between the insert and the read: the first request failed; ask to retry.
			return nil, domain.Errorf(domain.KindConflict, "error.idempotency_running")
		}
		return nil, wrap(err, "")
	}
	return storedResponse(row), nil
}

// storedResponse is a key's row as the use case sees it: done once its answer is stored.
func storedResponse(row idempotencyRow) *app.StoredResponse {
	out := &app.StoredResponse{Fingerprint: row.Vingerafdruk}
	if row.AntwoordStatus != nil && row.Antwoord != nil {
		out.Done, out.Status, out.Body = true, *row.AntwoordStatus, *row.Antwoord
		if row.AntwoordKopregels != nil {
			out.Headers = *row.AntwoordKopregels
		}
	}
	return out
}

// CompleteIdempotencyKey implements app.IdempotencyStore.
func (s *Store) CompleteIdempotencyKey(ctx context.Context, clientID, key, fingerprint string, status int, body, headers string) error {
	var h *string
	if headers != "" {
		h = &headers
	}
	return wrap(s.q(ctx).Model(&idempotencyRow{}).Where("client_id = ? AND sleutel = ?", clientID, key).
		Updates(map[string]any{"vingerafdruk": fingerprint, "antwoord_status": status, "antwoord": body, "antwoord_kopregels": h}).Error, "")
}

// ReleaseIdempotencyKey implements app.IdempotencyStore.
func (s *Store) ReleaseIdempotencyKey(ctx context.Context, clientID, key string) error {
	return wrap(s.q(ctx).Where("client_id = ? AND sleutel = ? AND antwoord IS NULL", clientID, key).Delete(&idempotencyRow{}).Error, "")
}

// StoreIdempotencyAnswer implements app.IdempotencyStore: one INSERT … ON CONFLICT DO NOTHING of
// the finished answer. A key already taken (answered, running, or claimed by a concurrent twin
// whose transaction this one waited for) stores nothing and reports false, without failing the
// transaction ctx may carry.
func (s *Store) StoreIdempotencyAnswer(ctx context.Context, clientID, key, fingerprint string, at time.Time, status int, body, headers string) (bool, error) {
	row := idempotencyRow{ClientID: clientID, Sleutel: key, Vingerafdruk: fingerprint, AntwoordStatus: &status, Antwoord: &body, AangemaaktOp: at.UTC()}
	if headers != "" {
		row.AntwoordKopregels = &headers
	}
	db := s.q(ctx)
	if _, inTx := ctx.Value(txKey{}).(*gorm.DB); !inTx && status >= 400 && s.answerDB != nil {
		// The answer of a failure, which changed nothing, does not wait for the disk: a crash may
		// lose it, and a retry is then answered afresh.
		db = s.answerDB.WithContext(ctx)
	}
	// Plain SQL (the last statement of every idempotent write).
	q := insertIdempotencyAnswerSQL.of(s)
	s.observe(q)
	res, err := db.Statement.ConnPool.ExecContext(ctx, q, row.ClientID, row.Sleutel, row.Vingerafdruk, row.AntwoordStatus,
		row.Antwoord, row.AntwoordKopregels, row.AangemaaktOp)
	if err != nil {
		return false, wrap(err, "")
	}
	n, err := res.RowsAffected()
	return n == 1, wrap(err, "")
}

var insertIdempotencyAnswerSQL = newDialectSQL(`INSERT INTO idempotentiesleutels (client_id, sleutel, vingerafdruk, antwoord_status,
	antwoord, antwoord_kopregels, aangemaakt_op) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`)

// IdempotencyAnswer implements app.IdempotencyStore.
func (s *Store) IdempotencyAnswer(ctx context.Context, clientID, key string) (*app.StoredResponse, error) {
	var rows []idempotencyRow
	if err := s.q(ctx).Where("client_id = ? AND sleutel = ?", clientID, key).Limit(1).Find(&rows).Error; err != nil {
		return nil, wrap(err, "")
	}
	if len(rows) == 0 {
		return nil, nil
	}
	row := rows[0]
	return storedResponse(row), nil
}
