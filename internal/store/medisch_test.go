package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/inburgering/portal/internal/domain"
)

func dp(d domain.Date) *domain.Date { return &d }

// medicalFixture stores a person with one request whose advice is ready.
func medicalFixture(t *testing.T, st interface {
	CreateInburgeraar(context.Context, *domain.Inburgeraar, string) error
	CreateMedischeAanvraag(context.Context, *domain.MedischeAanvraag) error
	UpdateMedischeFasen(context.Context, domain.MedischeAanvraag) error
}) domain.MedischeAanvraag {
	t.Helper()
	ctx := context.Background()
	p := person("111222333")
	if err := st.CreateInburgeraar(ctx, p, ""); err != nil {
		t.Fatal(err)
	}
	a := domain.MedischeAanvraag{InburgeraarID: p.ID, Soort: domain.MedischOntheffing, Kenmerk: "MA-T-1", AangevraagdOp: domain.NewDate(2026, 3, 2), Leges: 225_00}
	if err := st.CreateMedischeAanvraag(ctx, &a); err != nil {
		t.Fatal(err)
	}
	a.BetaaldOp, a.OnderzoekGepland, a.OnderzochtOp = dp(domain.NewDate(2026, 3, 9)), dp(domain.NewDate(2026, 5, 4)), dp(domain.NewDate(2026, 7, 1))
	a.AdviesGereedOp, a.ReactieUiterlijk, a.Advies, a.WachtOpBehandelaar = dp(domain.NewDate(2026, 9, 1)), dp(domain.NewDate(2026, 9, 15)), "advies", true
	if err := st.UpdateMedischeFasen(ctx, a); err != nil {
		t.Fatal(err)
	}
	return a
}

// TestMedicalRoundTripAndVersions: a request reads back as written; the consent and the decision
// are stored only on the version they were based on, which then moves on.
func TestMedicalRoundTripAndVersions(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	a := medicalFixture(t, st)
	got, err := st.MedischeAanvraag(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Versie != 1 || got.Toestemming != domain.ToestemmingOpen || *got.OnderzochtOp != domain.NewDate(2026, 7, 1) || !got.WachtOpBehandelaar || got.Advies != "advies" || got.Leges != 225_00 {
		t.Errorf("round trip %+v", got)
	}
	at := time.Date(2026, 9, 3, 10, 0, 0, 123456789, time.UTC)
	if err := st.SetToestemming(ctx, a.ID, 1, domain.ToestemmingGegeven, at); err != nil {
		t.Fatal(err)
	}
	if err := st.SetToestemming(ctx, a.ID, 1, domain.ToestemmingGeblokkeerd, at); domain.ErrorKind(err) != domain.KindPreconditionFailed {
		t.Errorf("stale consent: %v, want precondition failed", err)
	}
	b := domain.MedischBesluit{Uitkomst: domain.UitkomstGedeeltelijk, Datum: domain.NewDate(2026, 10, 1), Onderdelen: []domain.ComponentKind{domain.ComponentSpreken, domain.ComponentKNM}, Kenmerk: "MA-T-1"}
	if err := st.SetMedischBesluit(ctx, a.ID, 2, b); err != nil {
		t.Fatal(err)
	}
	got, _ = st.MedischeAanvraag(ctx, a.ID)
	if got.Versie != 3 || got.Toestemming != domain.ToestemmingGegeven || got.Besluit == nil || len(got.Besluit.Onderdelen) != 2 ||
		got.Besluit.Onderdelen[1] != domain.ComponentKNM || got.ToestemmingGewijzigd == nil || !got.ToestemmingGewijzigd.Equal(at.Truncate(time.Microsecond)) {
		t.Errorf("after consent and decision %+v", got)
	}
}

// TestMedicalSchemaConstraints: the schema refuses what the rules forbid, whatever the Go code does.
func TestMedicalSchemaConstraints(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	a := medicalFixture(t, st)
	for name, sql := range map[string]string{
		"unknown kind":                  "UPDATE medische_aanvragen SET soort = 'iets' WHERE id = ?",
		"unknown consent status":        "UPDATE medische_aanvragen SET toestemming = 'misschien' WHERE id = ?",
		"consent without advice":        "UPDATE medische_aanvragen SET advies_gereed_op = NULL, advies = '', toestemming = 'gegeven' WHERE id = ?",
		"advice date without text":      "UPDATE medische_aanvragen SET advies = '' WHERE id = ?",
		"decision outcome without date": "UPDATE medische_aanvragen SET besluit_uitkomst = 'afgewezen' WHERE id = ?",
		"extension without months":      "UPDATE medische_aanvragen SET besluit_uitkomst = 'verlenging', besluit_datum = '2026-10-01' WHERE id = ?",
		"negative fee":                  "UPDATE medische_aanvragen SET leges_centen = -1 WHERE id = ?",
		"version zero":                  "UPDATE medische_aanvragen SET versie = 0 WHERE id = ?",
	} {
		t.Run(name, func(t *testing.T) {
			if err := st.Exec(ctx, sql, a.ID); err == nil {
				t.Error("the database accepted it")
			}
		})
	}
	dup := domain.MedischeAanvraag{InburgeraarID: a.InburgeraarID, Soort: domain.MedischOntheffing, Kenmerk: "MA-T-1", AangevraagdOp: domain.NewDate(2026, 3, 2)}
	if err := st.CreateMedischeAanvraag(ctx, &dup); domain.ErrorKind(err) != domain.KindConflict {
		t.Errorf("duplicate reference: %v", err)
	}
	bad := domain.ToestemmingsBewijs{AanvraagID: a.ID, Keuze: domain.KeuzeToestemming, Resultaat: domain.ToestemmingGegeven, Op: time.Now(), Kanaal: "fax", Taal: "nl", Tekstversie: "v", Tekst: "t"}
	if err := st.AddToestemmingsBewijs(ctx, &bad); err == nil {
		t.Error("evidence with an unknown channel accepted")
	}
}

// TestConsentEvidenceIsAppendOnly: evidence rows can be added, never changed or removed.
func TestConsentEvidenceIsAppendOnly(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	a := medicalFixture(t, st)
	err := st.InTx(ctx, func(ctx context.Context) error {
		e := domain.ToestemmingsBewijs{AanvraagID: a.ID, Keuze: domain.KeuzeBlokkeren, Resultaat: domain.ToestemmingGeblokkeerd, Op: time.Now(),
			Kanaal: domain.KanaalAPI, Taal: "ar", Tekstversie: domain.ConsentTextVersion, Tekst: "نص"}
		return st.AddToestemmingsBewijs(ctx, &e)
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Exec(ctx, "UPDATE medische_toestemmingen SET keuze = 'toestemming'"); err == nil {
		t.Error("update of consent evidence succeeded")
	}
	if err := st.Exec(ctx, "DELETE FROM medische_toestemmingen"); err == nil {
		t.Error("delete of consent evidence succeeded")
	}
	if err := st.Exec(ctx, "DELETE FROM medische_aanvragen"); err == nil {
		t.Error("deleting a request removed its evidence")
	}
	list, err := st.ToestemmingsBewijzen(ctx, a.ID)
	if err != nil || len(list) != 1 || list[0].Tekst != "نص" || list[0].Taal != "ar" || list[0].Kanaal != domain.KanaalAPI {
		t.Errorf("evidence %+v (%v)", list, err)
	}
}
