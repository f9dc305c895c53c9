package app

import (
	"context"
	"strconv"
	"time"

	"github.com/inburgering/portal/internal/domain"
)

// demoPersona is one seeded person; dates are relative to the day of seeding so that each
// persona is in the situation its description names.
type demoPersona struct {
	key    string
	person domain.Inburgeraar
	build  func(today domain.Date, p domain.Policy) ([]domain.Extension, []domain.PIP, []domain.Invoice, []domain.Bericht)
}

// DUO's public contact data for inburgering (inburgeren.nl, "Contact" and "Bezwaar"), which letters
// that ask for a reply name as the ways to respond.
const (
	DUOTelefoon  = "050 599 96 00"
	DUOPostadres = "DUO, Servicecentrum Inburgering, Postbus 764, 9700 AT Groningen"
)

func cents(euros int64) *domain.Cents  { c := domain.Cents(euros * 100); return &c }
func datep(d domain.Date) *domain.Date { return &d }

// wi2013Start is a plausible Wi2013 obligation start: the last weeks of the regime.
var wi2013Start = domain.NewDate(2021, 10, 1)

func invoicesOf(school string, total domain.Cents, first domain.Date, each domain.Cents) []domain.Invoice {
	var out []domain.Invoice
	d := first
	for total > 0 {
		a := min(each, total)
		out = append(out, paidInvoice(school, a, d))
		total -= a
		d = d.AddMonths(3)
	}
	return out
}

// paidInvoice is an invoice for the three months before d that DUO paid on d.
func paidInvoice(school string, amount domain.Cents, d domain.Date) domain.Invoice {
	return domain.Invoice{School: school, Amount: amount, Date: d, PeriodStart: d.AddMonths(-3), PeriodEnd: d.AddDays(-1), Status: domain.InvoicePaid, PaidOn: datep(d)}
}

// openInvoice is an invoice dated d for the month before it, waiting for the inburgeraar's decision.
func openInvoice(school string, amount domain.Cents, d domain.Date) domain.Invoice {
	return domain.Invoice{School: school, Amount: amount, Date: d, PeriodStart: d.AddMonths(-1), PeriodEnd: d.AddDays(-1), Status: domain.InvoiceOpen}
}

func withStatus(cs []domain.Component, status map[domain.ComponentKind]domain.ComponentStatus, hours map[domain.ComponentKind]int) []domain.Component {
	for i := range cs {
		if s, ok := status[cs[i].Kind]; ok {
			cs[i].Status = s
		}
		if h, ok := hours[cs[i].Kind]; ok {
			cs[i].HoursDone = h
		}
	}
	return cs
}

func demoPersonas() []demoPersona {
	return []demoPersona{
		{key: "amal", person: domain.Inburgeraar{BSN: "126018157", Name: "Amal Haddad", TargetGroup: domain.Asielstatushouder, Payer: domain.PayerGemeente, PreferredLanguage: "ar", Gemeente: "Utrecht"},
			build: func(t domain.Date, p domain.Policy) ([]domain.Extension, []domain.PIP, []domain.Invoice, []domain.Bericht) {
				pip := domain.PIP{Date: t.AddMonths(-18), Gemeente: "Utrecht", Route: domain.RouteB1,
					Components: withStatus(domain.RequiredComponents(domain.RouteB1, domain.Asielstatushouder, p),
						map[domain.ComponentKind]domain.ComponentStatus{domain.ComponentLezen: domain.StatusBehaald, domain.ComponentLuisteren: domain.StatusBehaald, domain.ComponentSpreken: domain.StatusOntheffing, domain.ComponentKNM: domain.StatusBezig, domain.ComponentPVT: domain.StatusBehaald},
						map[domain.ComponentKind]int{domain.ComponentPVT: 12})}
				return nil, []domain.PIP{pip}, nil, []domain.Bericht{{Kind: domain.BerichtPIPVastgesteld, Params: map[string]string{"Gemeente": "Utrecht", "Datum": pip.Date.String()}}}
			}},
		{key: "dawit", person: domain.Inburgeraar{BSN: "230166131", Name: "Dawit Tesfay", TargetGroup: domain.Gezinsmigrant, Payer: domain.PayerLoan, PreferredLanguage: "ti", Gemeente: "Amersfoort", LoanMaximum: cents(6_500)},
			build: func(t domain.Date, p domain.Policy) ([]domain.Extension, []domain.PIP, []domain.Invoice, []domain.Bericht) {
				pip := domain.PIP{Date: t.AddMonths(-9), Gemeente: "Amersfoort", Route: domain.RouteZ,
					Components: withStatus(domain.RequiredComponents(domain.RouteZ, domain.Gezinsmigrant, p),
						map[domain.ComponentKind]domain.ComponentStatus{domain.ComponentCursusuren: domain.StatusBezig}, map[domain.ComponentKind]int{domain.ComponentCursusuren: 310})}
				inv := invoicesOf("Taalhuis Eemland", 3_400_00, t.AddMonths(-8), 1_200_00)
				inv = append(inv, paidInvoice("Taalhuis Eemland", 450_00, t.Quarter()))
				inv = append(inv, openInvoice("Taalhuis Eemland", 380_00, t.AddDays(-6)), openInvoice("Taalhuis Eemland", 120_00, t.AddDays(-3)))
				return nil, []domain.PIP{pip}, inv, nil
			}},
		{key: "samira", person: domain.Inburgeraar{BSN: "760913900", Name: "Samira Nouri", TargetGroup: domain.Gezinsmigrant, Payer: domain.PayerSelf, PreferredLanguage: "fa", Gemeente: "Almere"},
			build: func(t domain.Date, p domain.Policy) ([]domain.Extension, []domain.PIP, []domain.Invoice, []domain.Bericht) {
				return nil, nil, nil, nil
			}},
		{key: "yusuf", person: domain.Inburgeraar{BSN: "930824623", Name: "Yusuf Demir", TargetGroup: domain.OverigeMigrant, Payer: domain.PayerLoan, PreferredLanguage: "tr", ObligationStart: wi2013Start},
			build: func(t domain.Date, p domain.Policy) ([]domain.Extension, []domain.PIP, []domain.Invoice, []domain.Bericht) {
				// Fixed, lawful extensions (literacy at most 2 years; illness has no maximum in the law):
				// base end 2024-09-30 + 48 months = 2028-09-30.
				ext := []domain.Extension{
					{Ground: domain.GroundAlfabetisering, Months: 24, DecisionDate: domain.NewDate(2024, 8, 15), Reference: "VL-2024-0193"},
					{Ground: domain.GroundZiekte, Months: 24, DecisionDate: domain.NewDate(2026, 6, 2), Reference: "VL-2026-0311"},
				}
				return ext, nil, invoicesOf("Taalcentrum Rijnmond", 9_650_00, domain.NewDate(2022, 1, 10), 1_950_00), nil
			}},
		{key: "olena", person: domain.Inburgeraar{BSN: "494821991", Name: "Olena Kovalenko", TargetGroup: domain.Gezinsmigrant, Payer: domain.PayerLoan, PreferredLanguage: "en", ObligationStart: wi2013Start},
			build: func(t domain.Date, p domain.Policy) ([]domain.Extension, []domain.PIP, []domain.Invoice, []domain.Bericht) {
				// Base end 2024-09-30 + 24 (literacy, the maximum) + 10 months = 2027-07-31.
				ext := []domain.Extension{
					{Ground: domain.GroundAlfabetisering, Months: 24, DecisionDate: domain.NewDate(2024, 7, 1), Reference: "VL-2024-0088"},
					{Ground: domain.GroundPersoonlijkeOmstandigheden, Months: 10, DecisionDate: domain.NewDate(2026, 8, 3), Reference: "VL-2025-0412"},
				}
				inv := append(invoicesOf("Taalschool De Brug", 7_600_00, domain.NewDate(2022, 2, 1), 1_900_00), openInvoice("Taalschool De Brug", 650_00, t.AddDays(-12)))
				return ext, nil, inv, nil
			}},
		{key: "kidane", person: domain.Inburgeraar{BSN: "818190930", Name: "Kidane Gebru", TargetGroup: domain.OverigeMigrant, Payer: domain.PayerLoan, PreferredLanguage: "nl", ObligationStart: domain.NewDate(2021, 12, 20)},
			build: func(t domain.Date, p domain.Policy) ([]domain.Extension, []domain.PIP, []domain.Invoice, []domain.Bericht) {
				ext := []domain.Extension{{Ground: domain.GroundHerstelToeslagen, Months: 24, DecisionDate: domain.NewDate(2024, 6, 3), Reference: "HT-2024-0077"}}
				bericht := domain.Bericht{Kind: domain.BerichtVerlenging, Params: map[string]string{"Maanden": "24", "Kenmerk": "HT-2024-0077"}}
				return ext, nil, invoicesOf("ROC Amsterdam", 4_200_00, domain.NewDate(2022, 3, 1), 1_400_00), []domain.Bericht{bericht}
			}},
		{key: "ahmad", person: domain.Inburgeraar{BSN: "465797544", Name: "Ahmad Karimi", TargetGroup: domain.OverigeMigrant, Payer: domain.PayerLoan, PreferredLanguage: "ps", ObligationStart: domain.NewDate(2019, 4, 15)},
			build: func(t domain.Date, p domain.Policy) ([]domain.Extension, []domain.PIP, []domain.Invoice, []domain.Bericht) {
				reply := t.AddDays(14)
				// The announced amount comes from the fine rules and his data, never from text.
				facts, _ := personaFacts("ahmad", t)
				fine, err := domain.ComputeFine(domain.Wi2013, domain.OverigeMigrant, domain.FineFacts{KeurmerkHours: facts.KeurmerkHours, Attempts: facts.Attempts}, p)
				if err != nil {
					panic(err) // the seed's own data: a programming error
				}
				return nil, nil, invoicesOf("Taalinstituut Noord", 5_100_00, domain.NewDate(2019, 6, 1), 1_700_00), []domain.Bericht{
					{Kind: domain.BerichtWelkom, Params: map[string]string{}},
					{Kind: domain.BerichtBoeteVooraankondiging, Params: map[string]string{"Bedrag": strconv.FormatInt(int64(fine.Amount), 10), "Reactiedatum": reply.String(), "Kenmerk": "BV-2026-1187",
						"Telefoon": DUOTelefoon, "Postadres": DUOPostadres}},
				}
			}},
		{key: "goran", person: domain.Inburgeraar{BSN: "831948759", Name: "Goran Petrović", TargetGroup: domain.OverigeMigrant, Payer: domain.PayerGemeente, PreferredLanguage: "nl", Gemeente: "Rotterdam", ObligationStart: domain.NewDate(2011, 5, 1)},
			build: func(t domain.Date, p domain.Policy) ([]domain.Extension, []domain.PIP, []domain.Invoice, []domain.Bericht) {
				return nil, nil, nil, nil
			}},
		{key: "lina", person: domain.Inburgeraar{BSN: "391186255", Name: "Lina Saleh", TargetGroup: domain.Asielstatushouder, Payer: domain.PayerGemeente, PreferredLanguage: "ar", Gemeente: "Zwolle"},
			build: func(t domain.Date, p domain.Policy) ([]domain.Extension, []domain.PIP, []domain.Invoice, []domain.Bericht) {
				all := map[domain.ComponentKind]domain.ComponentStatus{}
				for _, c := range domain.RequiredComponents(domain.RouteB1, domain.Asielstatushouder, p) {
					all[c.Kind] = domain.StatusBehaald
				}
				pip := domain.PIP{Date: t.AddMonths(-30), Gemeente: "Zwolle", Route: domain.RouteB1,
					Components: withStatus(domain.RequiredComponents(domain.RouteB1, domain.Asielstatushouder, p), all, map[domain.ComponentKind]int{domain.ComponentPVT: 14})}
				return nil, []domain.PIP{pip}, nil, nil
			}},
		{key: "farah", person: domain.Inburgeraar{BSN: "660189550", Name: "Farah Hashimi", TargetGroup: domain.Asielstatushouder, Payer: domain.PayerGemeente, PreferredLanguage: "fa", Gemeente: "Den Haag"},
			build: func(t domain.Date, p domain.Policy) ([]domain.Extension, []domain.PIP, []domain.Invoice, []domain.Bericht) {
				pip := domain.PIP{Date: t.AddMonths(-14), Gemeente: "Den Haag", Route: domain.RouteZ,
					Components: domain.RequiredComponents(domain.RouteZ, domain.Asielstatushouder, p)}
				return nil, []domain.PIP{pip}, nil, nil
			}},
		// Medical requests (domain.md §7): their requests are seeded by SeedMedicalDemo.
		{key: "mariam", person: domain.Inburgeraar{BSN: "436450306", Name: "Mariam Yousef", TargetGroup: domain.Gezinsmigrant, Payer: domain.PayerLoan, PreferredLanguage: "ar", Gemeente: "Tilburg"},
			build: medicalPersonaPIP("Tilburg", domain.Gezinsmigrant, -10)},
		{key: "hamid", person: domain.Inburgeraar{BSN: "808197836", Name: "Hamid Rahimi", TargetGroup: domain.OverigeMigrant, Payer: domain.PayerSelf, PreferredLanguage: "fa", Gemeente: "Arnhem"},
			build: medicalPersonaPIP("Arnhem", domain.OverigeMigrant, -14)},
		{key: "selam", person: domain.Inburgeraar{BSN: "524240024", Name: "Selam Haile", TargetGroup: domain.Asielstatushouder, Payer: domain.PayerGemeente, PreferredLanguage: "ti", Gemeente: "Groningen"},
			build: medicalPersonaPIP("Groningen", domain.Asielstatushouder, -12)},
		{key: "hodan", person: domain.Inburgeraar{BSN: "286924997", Name: "Hodan Warsame", TargetGroup: domain.Gezinsmigrant, Payer: domain.PayerLoan, PreferredLanguage: "so", Gemeente: "Eindhoven"},
			build: medicalPersonaPIP("Eindhoven", domain.Gezinsmigrant, -20)},
	}
}

// personaDates fills the relative dates of each persona for today.
func personaDates(key string, i *domain.Inburgeraar, today domain.Date) {
	switch key {
	case "amal":
		i.ObligationStart, i.NoticeDate = today.AddMonths(-22), datep(today.AddMonths(-21))
	case "dawit":
		i.ObligationStart, i.NoticeDate = today.AddMonths(-11), datep(today.AddMonths(-10).AddDays(-20))
	case "samira":
		// No PIP and the 10-week deadline passed four weeks ago.
		i.ObligationStart, i.NoticeDate = today.AddDays(-7*16), datep(today.AddDays(-7*14))
	case "lina":
		i.ObligationStart, i.NoticeDate, i.ObligationMetOn = today.AddMonths(-33), datep(today.AddMonths(-32)), datep(today.AddMonths(-2))
	case "farah":
		i.ObligationStart, i.NoticeDate, i.ExemptedOn = today.AddMonths(-17), datep(today.AddMonths(-16)), datep(today.AddMonths(-1))
	case "mariam", "hamid", "selam", "hodan":
		months := map[string]int{"mariam": -10, "hamid": -14, "selam": -12, "hodan": -20}[key]
		i.ObligationStart, i.NoticeDate = today.AddMonths(months-3), datep(today.AddMonths(months-2))
	}
}

// personaFacts are the facts the rules need beyond the person record, per persona.
func personaFacts(key string, today domain.Date) (domain.RuleFacts, []domain.FineDecision) {
	switch key {
	case "ahmad":
		// 180 classroom hours at a keurmerk school, every part attempted once, two parts still open
		// at the term end: a fine of EUR 625 by the Wi2013 table.
		return domain.RuleFacts{KeurmerkHours: 180, Attempts: domain.AttemptsAllOnce, OpenPartsAtTermEnd: intp(2)}, nil
	case "goran":
		// Wi2007: the gemeente set a 5-year term.
		return domain.RuleFacts{GemeenteTermEnd: datep(domain.NewDate(2016, 4, 30))}, nil
	}
	return domain.RuleFacts{}, nil
}

func intp(n int) *int { return &n }

// DemoPersonaKeys lists the keys of the seeded personas, in order.
func DemoPersonaKeys() []string {
	var keys []string
	for _, p := range demoPersonas() {
		keys = append(keys, p.key)
	}
	return keys
}

// SeedDemo creates the demo personas that do not exist yet, each in one transaction. It is
// idempotent: running it again changes nothing.
func (s *Service) SeedDemo(ctx context.Context) (created int, err error) {
	today := s.Today()
	policy := s.Policies.At(today)
	for _, dp := range demoPersonas() {
		if _, err := s.demo.InburgeraarByPersona(ctx, dp.key); err == nil {
			continue
		} else if domain.ErrorKind(err) != domain.KindNotFound {
			return created, err
		}
		person := dp.person
		personaDates(dp.key, &person, today)
		ext, pips, invoices, berichten := dp.build(today, policy)
		err := s.tx.InTx(ctx, func(ctx context.Context) error {
			if err := s.demo.CreateInburgeraar(ctx, &person, dp.key); err != nil {
				return err
			}
			regime, err := person.Regime()
			if err != nil {
				return err
			}
			for i, e := range ext {
				// The seed obeys the law's bounds like any other input.
				if err := domain.ValidateExtension(e, ext[:i], regime, policy); err != nil {
					return err
				}
				if err := s.demo.AddExtension(ctx, person.ID, e); err != nil {
					return err
				}
			}
			facts, fines := personaFacts(dp.key, today)
			if err := domain.ValidateRuleFacts(facts); err != nil {
				return err
			}
			rf := s.facts
			if facts != (domain.RuleFacts{}) {
				if err := rf.SetRuleFacts(ctx, person.ID, facts); err != nil {
					return err
				}
			}
			for _, f := range fines {
				if err := domain.ValidateFineDecision(f, regime, policy); err != nil {
					return err
				}
				if err := rf.AddFineDecision(ctx, person.ID, f); err != nil {
					return err
				}
			}
			for _, p := range pips {
				if err := s.demo.AddPIP(ctx, person.ID, p); err != nil {
					return err
				}
			}
			for _, inv := range invoices {
				if err := s.demo.AddInvoice(ctx, person.ID, inv); err != nil {
					return err
				}
			}
			at := s.Now().UTC().Add(-time.Duration(len(berichten)) * time.Hour)
			for _, b := range berichten {
				b.InburgeraarID = person.ID
				b.CreatedAt = at
				at = at.Add(time.Hour)
				if err := s.messages.AddBericht(ctx, &b); err != nil {
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
	if err := s.seedAfspraken(ctx); err != nil {
		return created, err
	}
	return created, nil
}
