package api

import (
	"context"
	"strconv"

	"github.com/inburgering/portal/internal/app"
	"github.com/inburgering/portal/internal/domain"
	"github.com/inburgering/portal/internal/i18n"
)

// The public pre-arrival operations (issue 8): the same use cases as the pages under
// /{taal}/naar-nederland, so both faces give the same answers. Nothing is stored or logged.

// publicLocalizer is the language of the response: Accept-Language, as the gate negotiated it.
func (h *Handlers) publicLocalizer(ctx context.Context) *i18n.Localizer {
	if l, ok := h.Bundle.Lookup(languageOf(ctx).code); ok {
		return l
	}
	l, _ := h.Bundle.Lookup("nl")
	return l
}

// CreateInburgeringscheck applies the check's rules to the answers given.
func (h *Handlers) CreateInburgeringscheck(ctx context.Context, req CreateInburgeringscheckRequestObject) (CreateInburgeringscheckResponseObject, error) {
	b := req.Body
	in := app.CheckInvoer{Nationaliteit: b.Nationaliteit}
	if b.Geboortedatum != nil {
		t := b.Geboortedatum.Time
		in.GeboorteJaar, in.GeboorteMaand, in.GeboorteDag = strconv.Itoa(t.Year()), strconv.Itoa(int(t.Month())), strconv.Itoa(t.Day())
	}
	if b.Verblijfsdoel != nil {
		in.Verblijfsdoel = string(*b.Verblijfsdoel)
	}
	if b.Partnerstatus != nil {
		in.Partnerstatus = string(*b.Partnerstatus)
	}
	if b.Opleiding != nil {
		in.Opleiding = string(*b.Opleiding)
	}
	res, err := h.Service.VoorlichtingCheck(in)
	if err != nil {
		return nil, err
	}
	l := h.publicLocalizer(ctx)
	figures := h.Service.FigureParams(l)
	u := res.Uitkomst
	body := Inburgeringscheck{Compleet: u.Compleet, Gronden: []Vrijstellingsgrond{}}
	if u.Compleet {
		body.BasisexamenBuitenland = &Checkuitkomst{Uitkomst: CheckuitkomstUitkomst(u.BasisexamenBuitenland), Toelichting: l.T("nn.check.exam." + string(u.BasisexamenBuitenland))}
		body.Inburgeringsplicht = &Checkuitkomst{Uitkomst: CheckuitkomstUitkomst(u.Inburgeringsplicht), Toelichting: l.T("nn.check.plicht." + string(u.Inburgeringsplicht))}
	} else {
		next := InburgeringscheckVolgendeVraag(u.Volgende)
		body.VolgendeVraag = &next
	}
	for _, r := range u.Regels {
		g := Vrijstellingsgrond{Grond: VrijstellingsgrondGrond(r.Grond), BasisexamenBuitenland: VrijstellingsgrondBasisexamenBuitenland(r.Examen),
			Toelichting: l.T("nn.ground."+string(r.Grond), figures), Bron: r.Bron, Zekerheid: Zekerheid(r.Zekerheid)}
		if r.Inburgering != "" {
			x := VrijstellingsgrondInburgeringsplicht(r.Inburgering)
			g.Inburgeringsplicht = &x
		}
		body.Gronden = append(body.Gronden, g)
	}
	return CreateInburgeringscheck200JSONResponse{Body: body, Headers: CreateInburgeringscheck200ResponseHeaders{APIVersion: Version}}, nil
}

// CreateKostenraming estimates the costs of integration and what the loan can pay.
func (h *Handlers) CreateKostenraming(ctx context.Context, req CreateKostenramingRequestObject) (CreateKostenramingResponseObject, error) {
	b := req.Body
	pogingen, herexamens := 1, 0
	if b.PogingenBuitenland != nil {
		pogingen = *b.PogingenBuitenland
	}
	if b.Herexamens != nil {
		herexamens = *b.Herexamens
	}
	r, err := h.Service.Kostenraming(b.JaarinkomenInEuro, b.CursusprijsInEuro, pogingen, herexamens)
	if err != nil {
		return nil, err
	}
	l := h.publicLocalizer(ctx)
	body := Kostenraming{
		ExamenBuitenlandInCenten: int64(r.ExamenBuitenland), CursusInCenten: int64(r.Cursus), CursusIsAanname: r.CursusAanname,
		ExamensNederlandInCenten: int64(r.ExamensNL), TotaalInCenten: int64(r.Totaal), LeningMaximumInCenten: int64(r.LeningMaximum),
		LeenbaarInCenten: int64(r.Leenbaar), ZelfTeBetalenInCenten: int64(r.ZelfBetalen),
		Toelichting: l.T("nn.kosten.estimate_notice"), Cijfers: []Beleidscijfer{},
	}
	for _, f := range h.Service.Cijfers() {
		body.Cijfers = append(body.Cijfers, beleidscijfer(f))
	}
	return CreateKostenraming200JSONResponse{Body: body, Headers: CreateKostenraming200ResponseHeaders{APIVersion: Version}}, nil
}

func beleidscijfer(f domain.Figuur) Beleidscijfer {
	return Beleidscijfer{Naam: f.Naam, Waarde: f.Waarde, Eenheid: BeleidscijferEenheid(f.Eenheid), GeldigVanaf: date(f.GeldigVanaf),
		Bron: f.Bron, Zekerheid: Zekerheid(f.Zekerheid)}
}
