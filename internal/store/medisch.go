package store

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/inburgering/portal/internal/app"
	"github.com/inburgering/portal/internal/domain"
)

var _ app.MedicalStore = (*Store)(nil)

type medischeAanvraagRow struct {
	ID                     int64 `gorm:"primaryKey"`
	InburgeraarID          int64
	Soort                  string
	Kenmerk                string
	AangevraagdOp          time.Time
	LegesCenten            int64
	BetaaldOp              *time.Time
	WachtOpBehandelaar     bool
	OnderzoekGepland       *time.Time `gorm:"column:onderzoek_gepland"`
	OnderzochtOp           *time.Time
	AdviesGereedOp         *time.Time
	Advies                 string
	ReactieUiterlijk       *time.Time
	Toestemming            string
	ToestemmingGewijzigdOp *time.Time
	BesluitUitkomst        *string
	BesluitDatum           *time.Time
	BesluitOnderdelen      string
	BesluitVoorwaarden     string
	BesluitMaanden         *int
	BesluitKenmerk         string
	Versie                 int
}

func (medischeAanvraagRow) TableName() string { return "medische_aanvragen" }

type medischeToestemmingRow struct {
	ID          int64 `gorm:"primaryKey"`
	AanvraagID  int64
	Keuze       string
	Resultaat   string
	Tijdstip    time.Time
	Kanaal      string
	Taal        string
	Tekstversie string
	Tekst       string
}

func (medischeToestemmingRow) TableName() string { return "medische_toestemmingen" }

func (r medischeAanvraagRow) domain() domain.MedischeAanvraag {
	a := domain.MedischeAanvraag{
		ID: r.ID, InburgeraarID: r.InburgeraarID, Soort: domain.MedischSoort(r.Soort), Kenmerk: r.Kenmerk,
		AangevraagdOp: dateOf(r.AangevraagdOp), Leges: domain.Cents(r.LegesCenten), BetaaldOp: datePtr(r.BetaaldOp),
		WachtOpBehandelaar: r.WachtOpBehandelaar, OnderzoekGepland: datePtr(r.OnderzoekGepland), OnderzochtOp: datePtr(r.OnderzochtOp),
		AdviesGereedOp: datePtr(r.AdviesGereedOp), Advies: r.Advies, ReactieUiterlijk: datePtr(r.ReactieUiterlijk),
		Toestemming: domain.ToestemmingStatus(r.Toestemming), Versie: r.Versie,
	}
	if r.ToestemmingGewijzigdOp != nil {
		t := r.ToestemmingGewijzigdOp.UTC()
		a.ToestemmingGewijzigd = &t
	}
	if r.BesluitUitkomst != nil && r.BesluitDatum != nil {
		b := &domain.MedischBesluit{Uitkomst: domain.Uitkomst(*r.BesluitUitkomst), Datum: dateOf(*r.BesluitDatum),
			Voorwaarden: r.BesluitVoorwaarden, Kenmerk: r.BesluitKenmerk}
		if r.BesluitMaanden != nil {
			b.Maanden = *r.BesluitMaanden
		}
		for _, o := range strings.Split(r.BesluitOnderdelen, ",") {
			if o != "" {
				b.Onderdelen = append(b.Onderdelen, domain.ComponentKind(o))
			}
		}
		a.Besluit = b
	}
	return a
}

// MedischeAanvragen implements app.MedicalStore.
func (s *Store) MedischeAanvragen(ctx context.Context, inburgeraarID int64) ([]domain.MedischeAanvraag, error) {
	var rows []medischeAanvraagRow
	if err := s.q(ctx).Where("inburgeraar_id = ?", inburgeraarID).Order("aangevraagd_op, id").Find(&rows).Error; err != nil {
		return nil, wrap(err, "")
	}
	out := make([]domain.MedischeAanvraag, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, nil
}

// MedischeAanvraag implements app.MedicalStore.
func (s *Store) MedischeAanvraag(ctx context.Context, id int64) (domain.MedischeAanvraag, error) {
	var row medischeAanvraagRow
	if err := s.q(ctx).Where("id = ?", id).Take(&row).Error; err != nil {
		return domain.MedischeAanvraag{}, wrap(err, "error.medical_not_found")
	}
	return row.domain(), nil
}

// CreateMedischeAanvraag implements app.MedicalStore.
func (s *Store) CreateMedischeAanvraag(ctx context.Context, a *domain.MedischeAanvraag) error {
	row := medischeAanvraagRow{InburgeraarID: a.InburgeraarID, Soort: string(a.Soort), Kenmerk: a.Kenmerk,
		AangevraagdOp: a.AangevraagdOp.Time(), LegesCenten: int64(a.Leges), Toestemming: string(domain.ToestemmingOpen), Versie: 1}
	if err := s.q(ctx).Create(&row).Error; err != nil {
		return wrap(err, "")
	}
	a.ID, a.Versie, a.Toestemming = row.ID, 1, domain.ToestemmingOpen
	return nil
}

// UpdateMedischeFasen implements app.MedicalStore.
func (s *Store) UpdateMedischeFasen(ctx context.Context, a domain.MedischeAanvraag) error {
	res := s.q(ctx).Model(&medischeAanvraagRow{}).Where("id = ?", a.ID).Updates(map[string]any{
		"betaald_op": timePtr(a.BetaaldOp), "wacht_op_behandelaar": a.WachtOpBehandelaar, "onderzoek_gepland": timePtr(a.OnderzoekGepland),
		"onderzocht_op": timePtr(a.OnderzochtOp), "advies_gereed_op": timePtr(a.AdviesGereedOp), "advies": a.Advies,
		"reactie_uiterlijk": timePtr(a.ReactieUiterlijk),
	})
	if res.Error == nil && res.RowsAffected == 0 {
		return domain.Errorf(domain.KindNotFound, "error.medical_not_found")
	}
	return wrap(res.Error, "")
}

// versioned updates row id only while its version is still versie, and raises the version.
func (s *Store) versioned(ctx context.Context, id int64, versie int, set map[string]any) error {
	set["versie"] = gorm.Expr("versie + 1")
	res := s.q(ctx).Model(&medischeAanvraagRow{}).Where("id = ? AND versie = ?", id, versie).Updates(set)
	if res.Error == nil && res.RowsAffected == 0 {
		return domain.Errorf(domain.KindPreconditionFailed, "error.medical_stale")
	}
	return wrap(res.Error, "")
}

// SetToestemming implements app.MedicalStore.
func (s *Store) SetToestemming(ctx context.Context, id int64, versie int, status domain.ToestemmingStatus, at time.Time) error {
	// Microseconds: PostgreSQL keeps no more; both databases must read back the same instant.
	return s.versioned(ctx, id, versie, map[string]any{"toestemming": string(status), "toestemming_gewijzigd_op": at.UTC().Truncate(time.Microsecond)})
}

// SetMedischBesluit implements app.MedicalStore.
func (s *Store) SetMedischBesluit(ctx context.Context, id int64, versie int, b domain.MedischBesluit) error {
	parts := make([]string, len(b.Onderdelen))
	for i, o := range b.Onderdelen {
		parts[i] = string(o)
	}
	var months *int
	if b.Maanden > 0 {
		months = &b.Maanden
	}
	return s.versioned(ctx, id, versie, map[string]any{
		"besluit_uitkomst": string(b.Uitkomst), "besluit_datum": b.Datum.Time(), "besluit_onderdelen": strings.Join(parts, ","),
		"besluit_voorwaarden": b.Voorwaarden, "besluit_maanden": months, "besluit_kenmerk": b.Kenmerk,
	})
}

// AddToestemmingsBewijs implements app.MedicalStore.
func (s *Store) AddToestemmingsBewijs(ctx context.Context, e *domain.ToestemmingsBewijs) error {
	e.Op = e.Op.UTC().Truncate(time.Microsecond)
	row := medischeToestemmingRow{AanvraagID: e.AanvraagID, Keuze: string(e.Keuze), Resultaat: string(e.Resultaat), Tijdstip: e.Op,
		Kanaal: string(e.Kanaal), Taal: e.Taal, Tekstversie: e.Tekstversie, Tekst: e.Tekst}
	if err := s.q(ctx).Create(&row).Error; err != nil {
		return wrap(err, "")
	}
	e.ID = row.ID
	return nil
}

// ToestemmingsBewijzen implements app.MedicalStore.
func (s *Store) ToestemmingsBewijzen(ctx context.Context, aanvraagID int64) ([]domain.ToestemmingsBewijs, error) {
	var rows []medischeToestemmingRow
	if err := s.q(ctx).Where("aanvraag_id = ?", aanvraagID).Order("tijdstip, id").Find(&rows).Error; err != nil {
		return nil, wrap(err, "")
	}
	out := make([]domain.ToestemmingsBewijs, len(rows))
	for i, r := range rows {
		out[i] = domain.ToestemmingsBewijs{ID: r.ID, AanvraagID: r.AanvraagID, Keuze: domain.Keuze(r.Keuze), Resultaat: domain.ToestemmingStatus(r.Resultaat),
			Op: r.Tijdstip.UTC(), Kanaal: domain.Kanaal(r.Kanaal), Taal: r.Taal, Tekstversie: r.Tekstversie, Tekst: r.Tekst}
	}
	return out, nil
}

// SetExemptedOn implements app.MedicalStore: the obligation ends with an exemption (ontheffing).
func (s *Store) SetExemptedOn(ctx context.Context, inburgeraarID int64, d domain.Date) error {
	res := s.q(ctx).Model(&inburgeraarRow{}).Where("id = ?", inburgeraarID).Update("ontheffing_op", d.Time())
	if res.Error == nil && res.RowsAffected == 0 {
		return domain.Errorf(domain.KindNotFound, "error.inburgeraar_not_found")
	}
	return wrap(res.Error, "")
}

// ExemptPIPComponents implements app.MedicalStore: the parts of the current (newest) PIP that a
// partial exemption covers get the status "ontheffing". Without a PIP there is nothing to mark.
func (s *Store) ExemptPIPComponents(ctx context.Context, inburgeraarID int64, kinds []domain.ComponentKind) error {
	if len(kinds) == 0 {
		return nil
	}
	var pip pipRow
	err := s.q(ctx).Where("inburgeraar_id = ?", inburgeraarID).Order("datum DESC, id DESC").Take(&pip).Error
	if err == gorm.ErrRecordNotFound {
		return nil
	}
	if err != nil {
		return wrap(err, "")
	}
	names := make([]string, len(kinds))
	for i, k := range kinds {
		names[i] = string(k)
	}
	return wrap(s.q(ctx).Model(&pipOnderdeelRow{}).Where("pip_id = ? AND soort IN ?", pip.ID, names).Update("status", string(domain.StatusOntheffing)).Error, "")
}

// MedischeAanvragenNa implements app.MedicalStore: up to limit requests with an id above afterID,
// in id order (the order of registration).
func (s *Store) MedischeAanvragenNa(ctx context.Context, afterID int64, limit int) ([]domain.MedischeAanvraag, error) {
	var rows []medischeAanvraagRow
	if err := s.q(ctx).Where("id > ?", afterID).Order("id").Limit(limit).Find(&rows).Error; err != nil {
		return nil, wrap(err, "")
	}
	out := make([]domain.MedischeAanvraag, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, nil
}
