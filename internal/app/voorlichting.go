package app

import (
	"strconv"
	"strings"

	"github.com/inburgering/portal/internal/domain"
)

// Voorlichting (pre-arrival information, domain.md §9) is public: no login, nothing stored and
// nothing logged. The portal's pages and the API's /v2/voorlichting operations call these use
// cases, so they always give the same answers.

// VoorlichtingTable is the table of pre-arrival figures in use.
var VoorlichtingTable = domain.DefaultVoorlichting()

// Voorlichtingsbeleid returns the policies in force today: the service's policy and the pre-arrival figures.
func (s *Service) Voorlichtingsbeleid() (domain.Policy, domain.VoorlichtingPolicy) {
	today := s.Today()
	return s.Policies.At(today), VoorlichtingTable.At(today)
}

// Cijfers lists the figures in force today, each with its valid-from date and source.
func (s *Service) Cijfers() []domain.Figuur {
	return domain.Cijfers(s.Policies, VoorlichtingTable, s.Today())
}

// Formatter formats numbers and units in the reader's language (i18n.Localizer is one).
type Formatter interface {
	Money(cents int64) string
	Number(n int64) string
	N(id string, count int, data ...map[string]any) string
	Isolate(s string) string
}

// FormatFigure writes a figure with its unit in f's language ("€ 150,00", "8 weken").
func FormatFigure(f Formatter, fig domain.Figuur) string {
	switch fig.Eenheid {
	case domain.EenheidCent:
		return f.Money(fig.Waarde)
	case domain.EenheidAantal:
		return f.Number(fig.Waarde)
	}
	return f.Isolate(f.N("nn.unit."+string(fig.Eenheid), int(fig.Waarde)))
}

// FigureParams are the figures in force, formatted by f, as template data for the messages and
// texts that name them ({{.lening_maximum}}).
func (s *Service) FigureParams(f Formatter) map[string]any {
	out := map[string]any{}
	for _, fig := range s.Cijfers() {
		out[fig.Naam] = FormatFigure(f, fig)
	}
	return out
}

// CheckInvoer is the check's answers as entered; an empty field is not answered. The birth date
// comes as three numbers (the portal's fields; the API splits its ISO date into them).
type CheckInvoer struct {
	Nationaliteit                            string
	GeboorteJaar, GeboorteMaand, GeboorteDag string
	Verblijfsdoel                            string
	Partnerstatus                            string
	Opleiding                                string
}

// Check is the result of the check with the answers it was computed from.
type Check struct {
	Antwoorden domain.CheckAntwoorden
	Uitkomst   domain.CheckUitkomst
}

// VoorlichtingCheck parses the answers and applies the rules. Every answer given that is not valid
// is listed in one KindInvalid error, its field named after the question. Answers to questions
// that do not apply (the partner, when the stay is not for family) are ignored.
func (s *Service) VoorlichtingCheck(in CheckInvoer) (Check, error) {
	_, v := s.Voorlichtingsbeleid()
	today := s.Today()
	var a domain.CheckAntwoorden
	var viols []domain.Violation
	collect := func(err error) {
		if de, ok := err.(*domain.Error); ok {
			viols = append(viols, de.Violations...)
		}
	}
	if in.Nationaliteit != "" {
		n, err := domain.ParseNationaliteit(in.Nationaliteit)
		collect(err)
		a.Nationaliteit = n
	}
	if in.GeboorteJaar != "" || in.GeboorteMaand != "" || in.GeboorteDag != "" {
		y, ey := strconv.Atoi(strings.TrimSpace(in.GeboorteJaar))
		m, em := strconv.Atoi(strings.TrimSpace(in.GeboorteMaand))
		d, ed := strconv.Atoi(strings.TrimSpace(in.GeboorteDag))
		if ey != nil || em != nil || ed != nil {
			viols = append(viols, domain.Violation{Field: string(domain.VraagGeboortedatum), MessageID: "nn.error.date_invalid"})
		} else if date, err := domain.ParseGeboortedatum(y, m, d, today, v); err != nil {
			collect(err)
		} else {
			a.Geboortedatum = &date
		}
	}
	if in.Verblijfsdoel != "" {
		d, err := domain.ParseVerblijfsdoel(in.Verblijfsdoel)
		collect(err)
		a.Verblijfsdoel = d
	}
	if in.Partnerstatus != "" && (a.Verblijfsdoel == domain.DoelGezin || in.Verblijfsdoel == "") {
		p, err := domain.ParsePartnerstatus(in.Partnerstatus)
		collect(err)
		a.Partnerstatus = p
	}
	if in.Opleiding != "" {
		o, err := domain.ParseOpleiding(in.Opleiding, a.Nationaliteit)
		collect(err)
		a.Opleiding = o
	}
	if len(viols) > 0 {
		return Check{}, domain.Invalid(viols...)
	}
	return Check{Antwoorden: a, Uitkomst: domain.Check(a, today, v)}, nil
}

// Kostenraming estimates what integration will cost and what can be borrowed, from inputs in whole
// euros (cursusEuro nil: the course price is the assumption).
func (s *Service) Kostenraming(inkomenEuro int64, cursusEuro *int64, pogingen, herexamens int) (domain.Kostenraming, error) {
	in, err := domain.NewKostenInvoer(inkomenEuro, cursusEuro, pogingen, herexamens)
	if err != nil {
		return domain.Kostenraming{}, err
	}
	p, v := s.Voorlichtingsbeleid()
	return domain.Raming(in, p, v), nil
}
