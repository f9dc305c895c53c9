package app

import (
	"context"
	"time"

	"github.com/inburgering/portal/internal/domain"
)

// medicalPersonaPIP builds a Wi2021 persona with a B1-route PIP set monthsAgo months ago (negative).
func medicalPersonaPIP(gemeente string, g domain.TargetGroup, monthsAgo int) func(domain.Date, domain.Policy) ([]domain.Extension, []domain.PIP, []domain.Invoice, []domain.Bericht) {
	return func(t domain.Date, p domain.Policy) ([]domain.Extension, []domain.PIP, []domain.Invoice, []domain.Bericht) {
		pip := domain.PIP{Date: t.AddMonths(monthsAgo), Gemeente: gemeente, Route: domain.RouteB1,
			Components: domain.RequiredComponents(domain.RouteB1, g, p)}
		return nil, []domain.PIP{pip}, nil, nil
	}
}

// demoMedical is a seeded medical request, its dates relative to the day of seeding.
type demoMedical struct {
	persona string
	soort   domain.MedischSoort
	kenmerk string
	seed    func(t domain.Date, a *domain.MedischeAanvraag) (choices []domain.Keuze, besluit *domain.MedischBesluit)
}

func dd(t domain.Date, days int) *domain.Date { d := t.AddDays(days); return &d }

// demoAdvice is the advice text of the seeded requests (a stand-in for Argonaut's letter).
const demoAdvice = "Advies van de medisch adviseur (demo): de aandoening beperkt het leren en het afleggen van examens " +
	"blijvend. Geadviseerd wordt de gevraagde voorziening toe te kennen."

func demoMedicals() []demoMedical {
	return []demoMedical{
		// Waiting for the treating doctor.
		{persona: "mariam", soort: domain.MedischOntheffing, kenmerk: "MA-DEMO-0001", seed: func(t domain.Date, a *domain.MedischeAanvraag) ([]domain.Keuze, *domain.MedischBesluit) {
			a.AangevraagdOp, a.BetaaldOp, a.OnderzoekGepland, a.WachtOpBehandelaar = t.AddDays(-105), dd(t, -98), dd(t, -56), true
			return nil, nil
		}},
		// The advice is ready; no choice yet.
		{persona: "hamid", soort: domain.MedischGedeeltelijkeOntheffing, kenmerk: "MA-DEMO-0002", seed: func(t domain.Date, a *domain.MedischeAanvraag) ([]domain.Keuze, *domain.MedischBesluit) {
			a.AangevraagdOp, a.BetaaldOp, a.OnderzoekGepland, a.OnderzochtOp = t.AddDays(-182), dd(t, -175), dd(t, -120), dd(t, -30)
			a.AdviesGereedOp, a.ReactieUiterlijk, a.Advies = dd(t, -3), dd(t, 11), demoAdvice
			return nil, nil
		}},
		// Blocked.
		{persona: "selam", soort: domain.MedischAangepasteVoorwaarden, kenmerk: "MA-DEMO-0003", seed: func(t domain.Date, a *domain.MedischeAanvraag) ([]domain.Keuze, *domain.MedischBesluit) {
			a.AangevraagdOp, a.BetaaldOp, a.OnderzoekGepland, a.OnderzochtOp = t.AddDays(-200), dd(t, -190), dd(t, -140), dd(t, -40)
			a.AdviesGereedOp, a.ReactieUiterlijk, a.Advies = dd(t, -20), dd(t, -6), demoAdvice
			return []domain.Keuze{domain.KeuzeBlokkeren}, nil
		}},
		// Decided with an extension of the term.
		{persona: "hodan", soort: domain.MedischVerlengingZiekte, kenmerk: "MA-DEMO-0004", seed: func(t domain.Date, a *domain.MedischeAanvraag) ([]domain.Keuze, *domain.MedischBesluit) {
			a.AangevraagdOp, a.BetaaldOp, a.OnderzoekGepland, a.OnderzochtOp = t.AddDays(-210), dd(t, -203), dd(t, -150), dd(t, -60)
			a.AdviesGereedOp, a.ReactieUiterlijk, a.Advies = dd(t, -30), dd(t, -16), demoAdvice
			return []domain.Keuze{domain.KeuzeToestemming}, &domain.MedischBesluit{Uitkomst: domain.UitkomstVerlenging, Maanden: 6, Datum: t.AddDays(-7), Kenmerk: "MA-DEMO-0004"}
		}},
	}
}

// ConsentText returns the explanation of a choice's consequence in a language, as the faces show
// it; seeding records it as the evidence of the seeded choices.
type ConsentText func(lang string, k domain.Keuze) string

// SeedMedicalDemo seeds the medical requests of the demo personas that have none yet, each person in
// one transaction; the decision takes effect as StaffDecide's does (an extension of the term). It is
// idempotent.
func (m *Medical) SeedMedicalDemo(ctx context.Context, personas interface {
	InburgeraarByPersona(ctx context.Context, key string) (domain.Inburgeraar, error)
}, text ConsentText) (created int, err error) {
	today := m.Service.Today()
	for _, dm := range demoMedicals() {
		p, err := personas.InburgeraarByPersona(ctx, dm.persona)
		if domain.ErrorKind(err) == domain.KindNotFound {
			continue
		}
		if err != nil {
			return created, err
		}
		existing, err := m.store.MedischeAanvragen(ctx, p.ID)
		if err != nil {
			return created, err
		}
		if len(existing) > 0 {
			continue
		}
		a := domain.MedischeAanvraag{InburgeraarID: p.ID, Soort: dm.soort, Kenmerk: dm.kenmerk, Leges: m.Service.Policies.At(today).MedicalFee}
		choices, besluit := dm.seed(today, &a)
		err = m.Service.tx.InTx(ctx, func(ctx context.Context) error {
			st := m.store
			if err := st.CreateMedischeAanvraag(ctx, &a); err != nil {
				return err
			}
			seeded := a
			if err := st.UpdateMedischeFasen(ctx, seeded); err != nil {
				return err
			}
			cur, err := st.MedischeAanvraag(ctx, a.ID)
			if err != nil {
				return err
			}
			at := m.Service.Now().UTC().Add(-time.Duration(len(choices)+1) * 24 * time.Hour).Truncate(time.Microsecond)
			if a.AdviesGereedOp != nil {
				at = a.AdviesGereedOp.Time().Add(34 * time.Hour) // the day after the advice, at 10:00 UTC
			}
			for _, k := range choices {
				to, err := cur.Choose(k)
				if err != nil {
					return err
				}
				if err := st.SetToestemming(ctx, cur.ID, cur.Versie, to, at); err != nil {
					return err
				}
				ev := domain.ToestemmingsBewijs{AanvraagID: cur.ID, Keuze: k, Resultaat: to, Op: at, Kanaal: domain.KanaalPortal,
					Taal: p.PreferredLanguage, Tekstversie: domain.ConsentTextVersion, Tekst: text(p.PreferredLanguage, k)}
				if err := st.AddToestemmingsBewijs(ctx, &ev); err != nil {
					return err
				}
				if cur, err = st.MedischeAanvraag(ctx, cur.ID); err != nil {
					return err
				}
			}
			if a.AdviesGereedOp != nil {
				if err := st.AddBericht(ctx, &domain.Bericht{InburgeraarID: p.ID, Kind: BerichtMedischAdvies, CreatedAt: a.AdviesGereedOp.Time().Add(9 * time.Hour),
					Params: map[string]string{"Kenmerk": a.Kenmerk, "Reactiedatum": a.ReactieUiterlijk.String()}}); err != nil {
					return err
				}
			}
			if besluit != nil {
				if err := st.SetMedischBesluit(ctx, cur.ID, cur.Versie, *besluit); err != nil {
					return err
				}
				if besluit.Uitkomst == domain.UitkomstVerlenging {
					if err := st.AddExtension(ctx, p.ID, domain.Extension{Ground: domain.GroundZiekte, Months: besluit.Maanden, DecisionDate: besluit.Datum, Reference: a.Kenmerk}); err != nil {
						return err
					}
				}
				if err := st.AddBericht(ctx, &domain.Bericht{InburgeraarID: p.ID, Kind: BerichtMedischBesluit, CreatedAt: besluit.Datum.Time().Add(9 * time.Hour),
					Params: map[string]string{"Kenmerk": a.Kenmerk, "Besluitdatum": besluit.Datum.String()}}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return created, err
		}
		created++
	}
	return created, nil
}
