package store

import (
	"context"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/inburgering/portal/internal/app"
	"github.com/inburgering/portal/internal/domain"
)

type tijdslotRow struct {
	ID          int64 `gorm:"primaryKey"`
	Soort       string
	Kanaal      string
	Kantoor     string
	Starttijd   time.Time
	DuurMinuten int
	Capaciteit  int
	Geboekt     int
	Gesloten    bool
}

func (tijdslotRow) TableName() string { return "tijdsloten" }

func (r tijdslotRow) domain() domain.Tijdslot {
	return domain.Tijdslot{ID: r.ID, Soort: domain.AfspraakSoort(r.Soort), Kanaal: domain.AfspraakKanaal(r.Kanaal), Kantoor: r.Kantoor,
		Start: r.Starttijd.UTC(), Duur: time.Duration(r.DuurMinuten) * time.Minute, Capaciteit: r.Capaciteit, Geboekt: r.Geboekt, Gesloten: r.Gesloten}
}

type afspraakRow struct {
	ID            int64 `gorm:"primaryKey"`
	InburgeraarID int64
	TijdslotID    int64
	Soort         string
	Status        string
	TolkTaal      *string
	Sleutel       string
	Versie        int
	Notities      string
	AangemaaktOp  time.Time
	GewijzigdOp   time.Time
	Tijdslot      tijdslotRow `gorm:"foreignKey:TijdslotID"`
}

func (afspraakRow) TableName() string { return "afspraken" }

func (r afspraakRow) domain() domain.Afspraak {
	a := domain.Afspraak{ID: r.ID, InburgeraarID: r.InburgeraarID, Soort: domain.AfspraakSoort(r.Soort), Slot: r.Tijdslot.domain(),
		Status: domain.AfspraakStatus(r.Status), Versie: r.Versie, Notities: r.Notities}
	if r.TolkTaal != nil {
		a.TolkTaal = *r.TolkTaal
	}
	return a
}

// AddTijdsloten implements the app's ports: a slot that exists is skipped (ON CONFLICT DO NOTHING).
func (s *Store) AddTijdsloten(ctx context.Context, slots []domain.Tijdslot) (int, error) {
	if len(slots) == 0 {
		return 0, nil
	}
	rows := make([]tijdslotRow, len(slots))
	for i, sl := range slots {
		rows[i] = tijdslotRow{Soort: string(sl.Soort), Kanaal: string(sl.Kanaal), Kantoor: sl.Kantoor, Starttijd: sl.Start.UTC().Truncate(time.Microsecond),
			DuurMinuten: int(sl.Duur / time.Minute), Capaciteit: sl.Capaciteit, Geboekt: sl.Geboekt, Gesloten: sl.Gesloten}
	}
	res := s.q(ctx).Clauses(clause.OnConflict{DoNothing: true}).CreateInBatches(&rows, 200)
	if res.Error != nil {
		return 0, wrap(res.Error, "")
	}
	return int(res.RowsAffected), nil
}

// Tijdslot implements the app's ports.
func (s *Store) Tijdslot(ctx context.Context, id int64) (domain.Tijdslot, error) {
	var r tijdslotRow
	if err := s.q(ctx).Where("id = ?", id).Take(&r).Error; err != nil {
		return domain.Tijdslot{}, wrap(err, "error.afspraak_slot_unknown")
	}
	return r.domain(), nil
}

// FreeTijdsloten implements the app's ports.
func (s *Store) FreeTijdsloten(ctx context.Context, q app.SlotQuery, after *app.SlotCursor, limit int) ([]domain.Tijdslot, error) {
	db := s.q(ctx).Where("soort = ? AND gesloten = ? AND geboekt < capaciteit AND starttijd >= ? AND starttijd < ?",
		string(q.Soort), false, q.From.UTC(), q.To.UTC())
	if q.Kanaal != "" {
		db = db.Where("kanaal = ?", string(q.Kanaal))
	}
	if after != nil {
		db = db.Where("starttijd > ? OR (starttijd = ? AND id > ?)", after.Start.UTC(), after.Start.UTC(), after.ID)
	}
	var rows []tijdslotRow
	if err := db.Order("starttijd, id").Limit(limit).Find(&rows).Error; err != nil {
		return nil, wrap(err, "")
	}
	out := make([]domain.Tijdslot, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, nil
}

// ClaimPlace implements the app's ports with one conditional update: PostgreSQL re-checks the
// condition on the newest row version after a concurrent update commits, and SQLite has one
// writer at a time, so the count never passes the capacity (a check constraint backs this up).
func (s *Store) ClaimPlace(ctx context.Context, slotID int64, soort domain.AfspraakSoort) (bool, error) {
	res := s.q(ctx).Model(&tijdslotRow{}).
		Where("id = ? AND soort = ? AND gesloten = ? AND geboekt < capaciteit", slotID, string(soort), false).
		Update("geboekt", gorm.Expr("geboekt + 1"))
	if res.Error != nil {
		return false, wrap(res.Error, "")
	}
	return res.RowsAffected == 1, nil
}

// ReleasePlace implements the app's ports.
func (s *Store) ReleasePlace(ctx context.Context, slotID int64) error {
	res := s.q(ctx).Model(&tijdslotRow{}).Where("id = ? AND geboekt > 0", slotID).Update("geboekt", gorm.Expr("geboekt - 1"))
	return wrap(res.Error, "")
}

// CreateAfspraak implements the app's ports.
func (s *Store) CreateAfspraak(ctx context.Context, a *domain.Afspraak, key string, at time.Time) error {
	at = at.UTC().Truncate(time.Microsecond)
	r := afspraakRow{InburgeraarID: a.InburgeraarID, TijdslotID: a.Slot.ID, Soort: string(a.Soort), Status: string(a.Status),
		Sleutel: key, Versie: 1, AangemaaktOp: at, GewijzigdOp: at}
	if a.TolkTaal != "" {
		r.TolkTaal = &a.TolkTaal
	}
	if err := s.q(ctx).Omit("Tijdslot").Create(&r).Error; err != nil {
		return wrap(err, "")
	}
	a.ID, a.Versie = r.ID, 1
	return nil
}

func (s *Store) afspraakWhere(ctx context.Context, query string, args ...any) (domain.Afspraak, error) {
	var r afspraakRow
	if err := s.q(ctx).Joins("Tijdslot").Where(query, args...).Take(&r).Error; err != nil {
		return domain.Afspraak{}, wrap(err, "error.afspraak_not_found")
	}
	return r.domain(), nil
}

// AfspraakByKey implements the app's ports.
func (s *Store) AfspraakByKey(ctx context.Context, inburgeraarID int64, key string) (domain.Afspraak, error) {
	// Nearly every booking asks with a new key: a plain probe answers that cheaply (the join
	// below costs several times more in gorm), and only a key found reads the appointment.
	var ids []int64
	if err := s.q(ctx).Raw("SELECT id FROM afspraken WHERE inburgeraar_id = ? AND sleutel = ? LIMIT 1", inburgeraarID, key).Scan(&ids).Error; err != nil {
		return domain.Afspraak{}, wrap(err, "")
	}
	if len(ids) == 0 {
		return domain.Afspraak{}, domain.Errorf(domain.KindNotFound, "error.afspraak_not_found")
	}
	return s.afspraakWhere(ctx, "afspraken.inburgeraar_id = ? AND afspraken.id = ?", inburgeraarID, ids[0])
}

// Afspraak implements the app's ports.
func (s *Store) Afspraak(ctx context.Context, inburgeraarID, id int64) (domain.Afspraak, error) {
	return s.afspraakWhere(ctx, "afspraken.inburgeraar_id = ? AND afspraken.id = ?", inburgeraarID, id)
}

func (s *Store) afspraken(db *gorm.DB) ([]domain.Afspraak, error) {
	var rows []afspraakRow
	if err := db.Find(&rows).Error; err != nil {
		return nil, wrap(err, "")
	}
	out := make([]domain.Afspraak, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, nil
}

// Afspraken implements the app's ports.
func (s *Store) Afspraken(ctx context.Context, inburgeraarID int64) ([]domain.Afspraak, error) {
	return s.afspraken(s.q(ctx).Joins("Tijdslot").Where("afspraken.inburgeraar_id = ?", inburgeraarID).
		Order(`"Tijdslot".starttijd DESC, afspraken.id DESC`))
}

// AfsprakenPage implements the app's ports: keyset pagination on (start, id), descending.
func (s *Store) AfsprakenPage(ctx context.Context, inburgeraarID int64, after *app.SlotCursor, limit int) ([]domain.Afspraak, error) {
	db := s.q(ctx).Joins("Tijdslot").Where("afspraken.inburgeraar_id = ?", inburgeraarID)
	if after != nil {
		at := after.Start.UTC()
		db = db.Where(`"Tijdslot".starttijd < ? OR ("Tijdslot".starttijd = ? AND afspraken.id < ?)`, at, at, after.ID)
	}
	return s.afspraken(db.Order(`"Tijdslot".starttijd DESC, afspraken.id DESC`).Limit(limit))
}

// ChangeAfspraak implements the app's ports: one update conditional on the version and the open
// status, so two changes that read the same version cannot both succeed.
func (s *Store) ChangeAfspraak(ctx context.Context, a domain.Afspraak, fromVersie int, at time.Time) error {
	res := s.q(ctx).Model(&afspraakRow{}).
		Where("id = ? AND inburgeraar_id = ? AND versie = ? AND status = ?", a.ID, a.InburgeraarID, fromVersie, string(domain.AfspraakGepland)).
		Updates(map[string]any{"tijdslot_id": a.Slot.ID, "status": string(a.Status), "versie": fromVersie + 1, "gewijzigd_op": at.UTC().Truncate(time.Microsecond)})
	if res.Error != nil {
		return wrap(res.Error, "")
	}
	if res.RowsAffected == 0 {
		return domain.Errorf(domain.KindConflict, "error.afspraak_changed")
	}
	return nil
}

// HasBericht implements the app's ports.
func (s *Store) HasBericht(ctx context.Context, inburgeraarID int64, kind domain.BerichtKind) (bool, error) {
	var n int64
	err := s.q(ctx).Model(&berichtRow{}).Where("inburgeraar_id = ? AND soort = ?", inburgeraarID, string(kind)).Limit(1).Count(&n).Error
	return n > 0, wrap(err, "")
}

// CloseTijdslot implements the app's ports. The slot is closed first (its row is then locked
// against concurrent claims until commit), then its open appointments lapse.
func (s *Store) CloseTijdslot(ctx context.Context, slotID int64, at time.Time) ([]domain.Afspraak, error) {
	res := s.q(ctx).Model(&tijdslotRow{}).Where("id = ? AND gesloten = ?", slotID, false).Updates(map[string]any{"gesloten": true, "geboekt": 0})
	if res.Error != nil {
		return nil, wrap(res.Error, "")
	}
	if res.RowsAffected == 0 {
		if _, err := s.Tijdslot(ctx, slotID); err != nil {
			return nil, err
		}
		return nil, domain.Errorf(domain.KindConflict, "error.afspraak_slot_closed")
	}
	open, err := s.afspraken(s.q(ctx).Joins("Tijdslot").Where("afspraken.tijdslot_id = ? AND afspraken.status = ?", slotID, string(domain.AfspraakGepland)).Order("afspraken.id"))
	if err != nil {
		return nil, err
	}
	res = s.q(ctx).Model(&afspraakRow{}).Where("tijdslot_id = ? AND status = ?", slotID, string(domain.AfspraakGepland)).
		Updates(map[string]any{"status": string(domain.AfspraakVervallen), "versie": gorm.Expr("versie + 1"), "gewijzigd_op": at.UTC().Truncate(time.Microsecond)})
	if res.Error != nil {
		return nil, wrap(res.Error, "")
	}
	for i := range open {
		open[i].Status, open[i].Versie, open[i].Slot.Gesloten = domain.AfspraakVervallen, open[i].Versie+1, true
	}
	return open, nil
}

// AfsprakenBetween implements the app's ports.
func (s *Store) AfsprakenBetween(ctx context.Context, from, to time.Time) ([]domain.Afspraak, error) {
	return s.afspraken(s.q(ctx).Joins("Tijdslot").Where(`"Tijdslot".starttijd >= ? AND "Tijdslot".starttijd < ? AND afspraken.status IN ?`,
		from.UTC(), to.UTC(), []string{string(domain.AfspraakGepland), string(domain.AfspraakGehouden), string(domain.AfspraakNietVerschenen)}).
		Order(`"Tijdslot".starttijd, "Tijdslot".kanaal, "Tijdslot".kantoor, afspraken.id`))
}

// TijdslotenBetween implements the app's ports.
func (s *Store) TijdslotenBetween(ctx context.Context, from, to time.Time) ([]domain.Tijdslot, error) {
	var rows []tijdslotRow
	if err := s.q(ctx).Where("starttijd >= ? AND starttijd < ?", from.UTC(), to.UTC()).Order("starttijd, kanaal, kantoor, soort, id").Find(&rows).Error; err != nil {
		return nil, wrap(err, "")
	}
	out := make([]domain.Tijdslot, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, nil
}

// AfspraakByID implements the app's ports.
func (s *Store) AfspraakByID(ctx context.Context, id int64) (domain.Afspraak, error) {
	return s.afspraakWhere(ctx, "afspraken.id = ?", id)
}

// MarkAfspraak implements the app's ports: conditional on the appointment still being open.
func (s *Store) MarkAfspraak(ctx context.Context, a domain.Afspraak, notes string, at time.Time) error {
	res := s.q(ctx).Model(&afspraakRow{}).Where("id = ? AND status = ?", a.ID, string(domain.AfspraakGepland)).
		Updates(map[string]any{"status": string(a.Status), "notities": notes, "versie": gorm.Expr("versie + 1"), "gewijzigd_op": at.UTC().Truncate(time.Microsecond)})
	if res.Error != nil {
		return wrap(res.Error, "")
	}
	if res.RowsAffected == 0 {
		return domain.Errorf(domain.KindConflict, "error.afspraak_not_open")
	}
	return nil
}

// MarkReminded implements the app's ports with one conditional update.
func (s *Store) MarkReminded(ctx context.Context, id int64, versie int) (bool, error) {
	res := s.q(ctx).Model(&afspraakRow{}).
		Where("id = ? AND versie = ? AND status = ? AND (herinnerd_versie IS NULL OR herinnerd_versie <> ?)", id, versie, string(domain.AfspraakGepland), versie).
		Update("herinnerd_versie", versie)
	if res.Error != nil {
		return false, wrap(res.Error, "")
	}
	return res.RowsAffected == 1, nil
}
