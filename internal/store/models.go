package store

import (
	"time"
)

// Row types mirror the migrations; gorm maps them, the schema owns the constraints.

type inburgeraarRow struct {
	ID                  int64 `gorm:"primaryKey"`
	BSN                 string
	Naam                string
	Doelgroep           string
	StartdatumPlicht    time.Time
	Betaler             string
	Voorkeurstaal       string
	Gemeente            string
	Kennisgevingsdatum  *time.Time
	PlichtVoldaanOp     *time.Time
	OntheffingOp        *time.Time
	LeningMaximumCenten *int64
	Persona             *string
	AangemaaktOp        time.Time `gorm:"autoCreateTime"`
}

func (inburgeraarRow) TableName() string { return "inburgeraars" }

type verlengingRow struct {
	ID            int64 `gorm:"primaryKey"`
	InburgeraarID int64
	Grond         string
	Maanden       int
	Besluitdatum  time.Time
	Kenmerk       string
}

func (verlengingRow) TableName() string { return "verlengingen" }

type pipRow struct {
	ID            int64 `gorm:"primaryKey"`
	InburgeraarID int64
	Datum         time.Time
	Gemeente      string
	Leerroute     string
	Onderdelen    []pipOnderdeelRow `gorm:"foreignKey:PipID"`
}

func (pipRow) TableName() string { return "pips" }

type pipOnderdeelRow struct {
	ID          int64 `gorm:"primaryKey"`
	PipID       int64
	Volgorde    int
	Soort       string
	Status      string
	UrenBehaald int
	UrenVereist int
}

func (pipOnderdeelRow) TableName() string { return "pip_onderdelen" }

type factuurRow struct {
	ID            int64 `gorm:"primaryKey"`
	InburgeraarID int64
	School        string
	BedragCenten  int64
	Factuurdatum  time.Time
	PeriodeVan    time.Time
	PeriodeTot    time.Time
	Status        string
	Reden         *string
	BeslotenOp    *time.Time
	BetaaldOp     *time.Time
}

func (factuurRow) TableName() string { return "facturen" }

type berichtRow struct {
	ID            int64 `gorm:"primaryKey"`
	InburgeraarID int64
	Soort         string
	Parameters    string
	AangemaaktOp  time.Time
	GelezenOp     *time.Time
}

func (berichtRow) TableName() string { return "berichten" }

type sessieRow struct {
	IDHash         string `gorm:"primaryKey"`
	Soort          string
	InburgeraarID  *int64
	Medewerker     string
	MedewerkerID   string
	Rol            string
	LogoutHint     string // sealed, never the readable ID token
	AangemaaktOp   time.Time
	LaatstGezienOp time.Time
}

func (sessieRow) TableName() string { return "sessies" }

type apiTokenRow struct {
	Hash          string `gorm:"primaryKey"`
	InburgeraarID int64
	AangemaaktOp  time.Time
	VerlooptOp    time.Time
}

func (apiTokenRow) TableName() string { return "api_tokens" }

type apiStaffTokenRow struct {
	Hash         string `gorm:"primaryKey"`
	MedewerkerID string
	Scopes       string
	AangemaaktOp time.Time
	VerlooptOp   time.Time
}

func (apiStaffTokenRow) TableName() string { return "api_medewerker_tokens" }

type auditRow struct {
	ID       int64 `gorm:"primaryKey"`
	Tijdstip time.Time
	Actor    string
	Actie    string
	Subject  string
	Details  string
}

func (auditRow) TableName() string { return "auditlog" }
