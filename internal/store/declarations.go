package store

import (
	"context"
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
	AangemaaktOp   time.Time
}

func (idempotencyRow) TableName() string { return "idempotentiesleutels" }

// withBSN is a row with the BSN of its inburgeraar joined in.
type contractWithBSN struct {
	contractRow
	BSN string
}

type declarationWithBSN struct {
	declarationRow
	BSN string
}

func (r contractWithBSN) domain() domain.Contract {
	return domain.Contract{
		ID: r.ID, SchoolID: r.SchoolID, InburgeraarID: r.InburgeraarID, BSN: domain.BSN(r.BSN), CourseType: domain.CourseType(r.Cursussoort),
		Start: dateOf(r.Startdatum), End: dateOf(r.Einddatum), PurchasedHours: r.IngekochteUren, CreatedAt: r.AangemaaktOp.UTC(),
	}
}

func (r declarationWithBSN) domain() domain.Declaration {
	return domain.Declaration{
		ID: r.ID, SchoolID: r.SchoolID, InburgeraarID: r.InburgeraarID, BSN: domain.BSN(r.BSN), ContractID: r.ContractID,
		CourseType: domain.CourseType(r.Cursussoort), PeriodStart: dateOf(r.PeriodeVan), PeriodEnd: dateOf(r.PeriodeTot),
		Hours: r.Uren, Status: domain.DeclarationStatus(r.Status), Deadline: datePtr(r.TermijnTot), Forgery: r.Vervalsing,
		CreatedAt: r.AangemaaktOp.UTC(),
	}
}

func (s *Store) contracts(ctx context.Context) *gorm.DB {
	return s.q(ctx).Table("contracten c").Select("c.*, i.bsn AS bsn").Joins("JOIN inburgeraars i ON i.id = c.inburgeraar_id")
}

func (s *Store) declarationsQ(ctx context.Context) *gorm.DB {
	return s.q(ctx).Table("urenverklaringen u").Select("u.*, i.bsn AS bsn").Joins("JOIN inburgeraars i ON i.id = u.inburgeraar_id")
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
	var rows []contractWithBSN
	if err := s.contracts(ctx).Where("c.school_id = ? AND c.id > ?", schoolID, afterID).Order("c.id").Limit(limit).Find(&rows).Error; err != nil {
		return nil, wrap(err, "")
	}
	out := make([]domain.Contract, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, nil
}

// ContractsOf implements app.DeclarationStore.
func (s *Store) ContractsOf(ctx context.Context, schoolID, inburgeraarID int64) ([]domain.Contract, error) {
	var rows []contractWithBSN
	if err := s.contracts(ctx).Where("c.school_id = ? AND c.inburgeraar_id = ?", schoolID, inburgeraarID).Order("c.id").Find(&rows).Error; err != nil {
		return nil, wrap(err, "")
	}
	out := make([]domain.Contract, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, nil
}

// HasDeclaration implements app.DeclarationStore.
func (s *Store) HasDeclaration(ctx context.Context, schoolID, inburgeraarID int64) (bool, error) {
	var n int64
	err := s.q(ctx).Model(&declarationRow{}).Where("school_id = ? AND inburgeraar_id = ?", schoolID, inburgeraarID).Limit(1).Count(&n).Error
	return n > 0, wrap(err, "")
}

// CreateDeclaration implements app.DeclarationStore.
func (s *Store) CreateDeclaration(ctx context.Context, d *domain.Declaration) error {
	row := declarationRow{SchoolID: d.SchoolID, InburgeraarID: d.InburgeraarID, ContractID: d.ContractID, Cursussoort: string(d.CourseType),
		PeriodeVan: d.PeriodStart.Time(), PeriodeTot: d.PeriodEnd.Time(), Uren: d.Hours, Status: string(d.Status),
		TermijnTot: timePtr(d.Deadline), Vervalsing: d.Forgery, AangemaaktOp: d.CreatedAt.UTC()}
	if err := s.q(ctx).Create(&row).Error; err != nil {
		return wrap(err, "")
	}
	d.ID = row.ID
	return nil
}

// DeclarationPage implements app.DeclarationStore.
func (s *Store) DeclarationPage(ctx context.Context, schoolID, afterID int64, status domain.DeclarationStatus, limit int) ([]domain.Declaration, error) {
	q := s.declarationsQ(ctx).Where("u.school_id = ? AND u.id > ?", schoolID, afterID)
	if status != "" {
		q = q.Where("u.status = ?", string(status))
	}
	var rows []declarationWithBSN
	if err := q.Order("u.id").Limit(limit).Find(&rows).Error; err != nil {
		return nil, wrap(err, "")
	}
	out := make([]domain.Declaration, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, nil
}

// Declaration implements app.DeclarationStore.
func (s *Store) Declaration(ctx context.Context, schoolID, id int64) (domain.Declaration, error) {
	q := s.declarationsQ(ctx).Where("u.id = ?", id)
	if schoolID != 0 {
		q = q.Where("u.school_id = ?", schoolID)
	}
	var row declarationWithBSN
	if err := q.Take(&row).Error; err != nil {
		return domain.Declaration{}, wrap(err, "error.declaration_not_found")
	}
	return row.domain(), nil
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
	out := &app.StoredResponse{Fingerprint: row.Vingerafdruk}
	if row.AntwoordStatus != nil && row.Antwoord != nil {
		out.Done, out.Status, out.Body = true, *row.AntwoordStatus, *row.Antwoord
	}
	return out, nil
}

// CompleteIdempotencyKey implements app.IdempotencyStore.
func (s *Store) CompleteIdempotencyKey(ctx context.Context, clientID, key string, status int, body string) error {
	return wrap(s.q(ctx).Model(&idempotencyRow{}).Where("client_id = ? AND sleutel = ?", clientID, key).
		Updates(map[string]any{"antwoord_status": status, "antwoord": body}).Error, "")
}

// ReleaseIdempotencyKey implements app.IdempotencyStore.
func (s *Store) ReleaseIdempotencyKey(ctx context.Context, clientID, key string) error {
	return wrap(s.q(ctx).Where("client_id = ? AND sleutel = ? AND antwoord IS NULL", clientID, key).Delete(&idempotencyRow{}).Error, "")
}
