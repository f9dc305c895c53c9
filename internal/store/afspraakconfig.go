package store

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/inburgering/portal/internal/domain"
)

type afspraakInstellingRow struct {
	ID          int `gorm:"primaryKey;autoIncrement:false"`
	Inhoud      string
	Versie      int
	GewijzigdOp time.Time
}

func (afspraakInstellingRow) TableName() string { return "afspraakinstellingen" }

// afspraakConfigJSON is the stored form of domain.AfspraakConfig: durations in whole minutes
// and hours, so the JSON reads as the staff page does.
type afspraakConfigJSON struct {
	Types []struct {
		Soort       string   `json:"soort"`
		Kanalen     []string `json:"kanalen"`
		DuurMinuten int      `json:"duurMinuten"`
		Doelgroep   string   `json:"doelgroep"`
	} `json:"types"`
	Kantoren []struct {
		Code  string `json:"code"`
		Naam  string `json:"naam"`
		Adres string `json:"adres"`
	} `json:"kantoren"`
	HorizonDagen      int `json:"horizonDagen"`
	WijzigtermijnUren int `json:"wijzigtermijnUren"`
}

// StoredAfspraakConfig implements the app's ports: false when staff never changed it.
func (s *Store) StoredAfspraakConfig(ctx context.Context) (domain.AfspraakConfig, bool, error) {
	var r afspraakInstellingRow
	err := s.q(ctx).Where("id = 1").Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return domain.AfspraakConfig{}, false, nil
	}
	if err != nil {
		return domain.AfspraakConfig{}, false, wrap(err, "")
	}
	var j afspraakConfigJSON
	if err := json.Unmarshal([]byte(r.Inhoud), &j); err != nil {
		return domain.AfspraakConfig{}, false, err
	}
	c := domain.AfspraakConfig{HorizonDagen: j.HorizonDagen, Wijzigtermijn: time.Duration(j.WijzigtermijnUren) * time.Hour}
	for _, t := range j.Types {
		at := domain.AfspraakType{Soort: domain.AfspraakSoort(t.Soort), Duur: time.Duration(t.DuurMinuten) * time.Minute, Doelgroep: domain.Doelgroep(t.Doelgroep)}
		for _, k := range t.Kanalen {
			at.Kanalen = append(at.Kanalen, domain.AfspraakKanaal(k))
		}
		c.Types = append(c.Types, at)
	}
	for _, k := range j.Kantoren {
		c.Kantoren = append(c.Kantoren, domain.Kantoor{Code: k.Code, Naam: k.Naam, Adres: k.Adres})
	}
	return c, true, nil
}

// SaveAfspraakConfig implements the app's ports: one row, replaced.
func (s *Store) SaveAfspraakConfig(ctx context.Context, c domain.AfspraakConfig, at time.Time) error {
	var j afspraakConfigJSON
	j.HorizonDagen, j.WijzigtermijnUren = c.HorizonDagen, int(c.Wijzigtermijn/time.Hour)
	for _, t := range c.Types {
		var ks []string
		for _, k := range t.Kanalen {
			ks = append(ks, string(k))
		}
		j.Types = append(j.Types, struct {
			Soort       string   `json:"soort"`
			Kanalen     []string `json:"kanalen"`
			DuurMinuten int      `json:"duurMinuten"`
			Doelgroep   string   `json:"doelgroep"`
		}{string(t.Soort), ks, int(t.Duur / time.Minute), string(t.Doelgroep)})
	}
	for _, k := range c.Kantoren {
		j.Kantoren = append(j.Kantoren, struct {
			Code  string `json:"code"`
			Naam  string `json:"naam"`
			Adres string `json:"adres"`
		}{k.Code, k.Naam, k.Adres})
	}
	b, err := json.Marshal(j)
	if err != nil {
		return err
	}
	row := afspraakInstellingRow{ID: 1, Inhoud: string(b), Versie: 1, GewijzigdOp: at.UTC().Truncate(time.Microsecond)}
	return wrap(s.q(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "id"}},
		DoUpdates: clause.Assignments(map[string]any{"inhoud": row.Inhoud, "versie": gorm.Expr("afspraakinstellingen.versie + 1"), "gewijzigd_op": row.GewijzigdOp}),
	}).Create(&row).Error, "")
}
