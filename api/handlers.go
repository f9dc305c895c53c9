package api

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	openapi_types "github.com/oapi-codegen/runtime/types"

	"github.com/inburgering/portal/internal/app"
	"github.com/inburgering/portal/internal/domain"
	"github.com/inburgering/portal/internal/i18n"
)

// WithInburgeraar marks ctx as authenticated for inburgeraar id.
func WithInburgeraar(ctx context.Context, id int64) context.Context {
	return app.WithPrincipal(ctx, app.InburgeraarPrincipal(id))
}

// inburgeraar returns the inburgeraar ctx acts for; a school or staff principal is forbidden here
// (the gate already refuses them on operations that want an inburgeraar).
func inburgeraar(ctx context.Context) (int64, error) {
	p, ok := app.PrincipalFrom(ctx)
	if !ok {
		return 0, domain.Errorf(domain.KindUnauthorized, "error.token_invalid")
	}
	if p.Kind != app.PrincipalInburgeraar {
		return 0, domain.Errorf(domain.KindForbidden, "error.forbidden")
	}
	return p.InburgeraarID, nil
}

// Handlers implements StrictServerInterface over the same use cases as the portal.
type Handlers struct {
	Service *app.Service
	Medical *app.Medical
	Bundle  *i18n.Bundle
	Demo    bool
	spec    map[string]any
}

var _ StrictServerInterface = (*Handlers)(nil)

// NewHandlers prepares the handlers, including the published spec.
func NewHandlers(svc *app.Service, bundle *i18n.Bundle, demo bool) (*Handlers, error) {
	doc, err := GetSwagger()
	if err != nil {
		return nil, err
	}
	raw, err := json.Marshal(doc)
	if err != nil {
		return nil, err
	}
	var spec map[string]any
	if err := json.Unmarshal(raw, &spec); err != nil {
		return nil, err
	}
	return &Handlers{Service: svc, Bundle: bundle, Demo: demo, spec: spec}, nil
}

func date(d domain.Date) openapi_types.Date { return openapi_types.Date{Time: d.Time()} }

func datep(d *domain.Date) *openapi_types.Date {
	if d == nil {
		return nil
	}
	x := date(*d)
	return &x
}

// GetOpenapi publishes the contract, without authentication and readable from any origin.
func (h *Handlers) GetOpenapi(ctx context.Context, _ GetOpenapiRequestObject) (GetOpenapiResponseObject, error) {
	return GetOpenapi200JSONResponse{Body: h.spec, Headers: GetOpenapi200ResponseHeaders{APIVersion: Version, AccessControlAllowOrigin: "*"}}, nil
}

// CreateDemoToken issues a bearer token for a seeded persona; it exists only in demo mode.
func (h *Handlers) CreateDemoToken(ctx context.Context, req CreateDemoTokenRequestObject) (CreateDemoTokenResponseObject, error) {
	if !h.Demo {
		return nil, domain.Errorf(domain.KindNotFound, "error.demo_only")
	}
	tok, err := h.Service.IssueDemoToken(ctx, req.Body.Persona)
	if err != nil {
		return nil, err
	}
	return CreateDemoToken201JSONResponse{
		Body:    DemoToken{AccessToken: tok.AccessToken, TokenType: DemoTokenTokenTypeBearer, ExpiresIn: int(tok.ExpiresIn.Seconds())},
		Headers: CreateDemoToken201ResponseHeaders{APIVersion: Version},
	}, nil
}

func (h *Handlers) overview(ctx context.Context) (app.Overview, error) {
	id, err := inburgeraar(ctx)
	if err != nil {
		return app.Overview{}, err
	}
	return h.Service.Overview(ctx, id)
}

// GetInburgeringstermijn returns the caller's integration term.
func (h *Handlers) GetInburgeringstermijn(ctx context.Context, _ GetInburgeringstermijnRequestObject) (GetInburgeringstermijnResponseObject, error) {
	o, err := h.overview(ctx)
	if err != nil {
		return nil, err
	}
	t := o.Term
	daysLeft := t.DaysLeft // the portal's figure: 0 on the last day and once the term is over
	body := Inburgeringstermijn{
		Status: InburgeringstermijnStatus(t.State), Regime: InburgeringstermijnRegime(o.Regime),
		Startdatum: datep(t.Start), BasisEinddatum: datep(t.BaseEnd), Einddatum: datep(t.End),
		VerlengingInMaanden: t.ExtensionMonths, DagenResterend: daysLeft,
		LaatsteVeiligeExamenaanmelddatum: datep(t.LastSafeExamRegistration),
		Verlengingen:                     []Verlenging{},
		VastgesteldDoorGemeente:          t.SetByGemeente, Boetetermijn: t.FineTerm, EinddatumVorigeTermijn: datep(t.RegularEnd),
		Boetes: []Boetebesluit{},
	}
	for _, f := range o.Fines {
		body.Boetes = append(body.Boetes, Boetebesluit{Besluitdatum: date(f.Date), BedragInCenten: int64(f.Amount), Kenmerk: f.Reference})
	}
	if f := o.Fine; f != nil {
		body.Boete = &Boete{BedragInCenten: int64(f.Amount), IsMaximum: f.IsMaximum, AlleenInUitzonderingsgevallen: f.OnlyExceptional, HoorzittingAangeboden: f.HearingOffered}
	}
	for _, e := range o.Extensions {
		body.Verlengingen = append(body.Verlengingen, Verlenging{Grond: VerlengingGrond(e.Ground), Maanden: e.Months, Besluitdatum: date(e.DecisionDate), Kenmerk: e.Reference})
	}
	return GetInburgeringstermijn200JSONResponse{Body: body, Headers: GetInburgeringstermijn200ResponseHeaders{APIVersion: Version}}, nil
}

// GetLening returns the caller's DUO loan.
func (h *Handlers) GetLening(ctx context.Context, _ GetLeningRequestObject) (GetLeningResponseObject, error) {
	o, err := h.overview(ctx)
	if err != nil {
		return nil, err
	}
	l := o.Loan
	body := Lening{
		VanToepassing: l.Applies, Betaler: LeningBetaler(o.Person.Payer), GebruiktInCenten: int64(l.Used),
		LeningMogelijk: l.BorrowingOpen, DuoBeslist: l.DUODecides, KwijtscheldingMogelijkTot: datep(l.RemissionPossibleUntil),
		Waarschuwingen: []LeningWaarschuwingen{}, AflossingStartdatum: datep(l.RepaymentStart), AflossingEinddatum: datep(l.RepaymentEnd),
		WordtTeruggevorderd: l.Recovered, Facturen: []Factuur{},
	}
	if l.Applies {
		// A maximum, balance and quarter room exist only for a borrower; betaler says why they are absent.
		maximum, balance := int64(l.Maximum), int64(l.Balance)
		body.MaximumInCenten, body.SaldoInCenten = &maximum, &balance
		body.Kwartaal = &Kwartaalgebruik{Startdatum: date(l.QuarterStart), GebruiktInCenten: int64(l.QuarterUsed), PlafondInCenten: int64(l.QuarterCap), ResterendInCenten: int64(l.QuarterLeft)}
	}
	if l.MonthlyRepayment > 0 {
		m := int64(l.MonthlyRepayment)
		body.AflossingPerMaandInCenten = &m
	}
	if r := l.Remission; r != nil {
		body.Kwijtschelding = &Kwijtschelding{Percentage: r.Percent, VoorInCenten: int64(r.Before), KwijtgescholdenInCenten: int64(r.Remitted), NaInCenten: int64(r.After)}
	}
	for _, w := range l.Warnings {
		body.Waarschuwingen = append(body.Waarschuwingen, LeningWaarschuwingen(w))
	}
	// The contract lists the invoices newest first; the use case returns them oldest first.
	for _, inv := range slices.Backward(o.Invoices) {
		if inv.Status != domain.InvoicePaid || inv.PaidOn == nil {
			continue // open, rejected and not yet paid invoices are in /mijn/facturen
		}
		body.Facturen = append(body.Facturen, Factuur{School: inv.School, BedragInCenten: int64(inv.Amount), Betaaldatum: date(*inv.PaidOn)})
	}
	slices.SortStableFunc(body.Facturen, func(a, b Factuur) int { return b.Betaaldatum.Time.Compare(a.Betaaldatum.Time) })
	return GetLening200JSONResponse{Body: body, Headers: GetLening200ResponseHeaders{APIVersion: Version}}, nil
}

// GetPip returns the caller's PIP and its deadline.
func (h *Handlers) GetPip(ctx context.Context, _ GetPipRequestObject) (GetPipResponseObject, error) {
	o, err := h.overview(ctx)
	if err != nil {
		return nil, err
	}
	s := o.PIPStatus
	body := Pip{
		Vastgesteld: o.PIP != nil, Kennisgevingsdatum: datep(s.NoticeDate), UiterlijkeVaststellingsdatum: datep(s.Deadline),
		Verlopen: s.Overdue, DagenTeLaat: s.DaysOverdue, Verantwoordelijke: PipVerantwoordelijke(s.Responsible), Onderdelen: []PipOnderdeel{},
		BrpInschrijfdatum: datep(s.BRPRegistration), WachtOpDerden: s.ThirdParty, DagenTeLaatVastgesteld: s.SetDaysLate,
	}
	if p := o.PIP; p != nil {
		route := PipLeerroute(p.Route)
		gem := p.Gemeente
		body.Datum, body.Gemeente, body.Leerroute = datep(&p.Date), &gem, &route
		for _, c := range p.Components {
			body.Onderdelen = append(body.Onderdelen, PipOnderdeel{Soort: PipOnderdeelSoort(c.Kind), Status: PipOnderdeelStatus(c.Status), UrenBehaald: c.HoursDone, UrenVereist: c.HoursRequired})
		}
	}
	return GetPip200JSONResponse{Body: body, Headers: GetPip200ResponseHeaders{APIVersion: Version}}, nil
}

// localizer is the caller's language: Accept-Language when sent, else the profile's language.
func (h *Handlers) localizer(ctx context.Context, inburgeraarID int64) *i18n.Localizer {
	rl := languageOf(ctx)
	l := h.Bundle.Negotiate(rl.header)
	if rl.header == "" {
		if p, err := h.Service.Profile(ctx, inburgeraarID); err == nil {
			if pl, ok := h.Bundle.Lookup(p.PreferredLanguage); ok {
				l = pl
			}
		}
	}
	rl.code = l.Code()
	return l
}

func (h *Handlers) bericht(l *i18n.Localizer, b domain.Bericht) Bericht {
	out := Bericht{
		ID: b.ID, Soort: string(b.Kind), Onderwerp: l.T("bericht." + string(b.Kind) + ".onderwerp"),
		Inhoud: l.T("bericht."+string(b.Kind)+".inhoud", l.MessageParams(b.Params)), OntvangenOp: b.CreatedAt.UTC(), Gelezen: b.Read(),
	}
	if d, ok := b.ReplyDate(); ok {
		rd := date(d)
		out.Reactiedatum = &rd
		passed := b.ReplyPassed(h.Service.Today())
		out.ReactiedatumVerstreken = &passed
		if passed {
			// The letter's "respond by" no longer holds: say what is still possible, as the portal does.
			w := l.T(b.ReplyPassedMessageID(), l.MessageParams(b.Params))
			out.Waarschuwing = &w
		}
	}
	return out
}

// ListBerichten lists the caller's messages, newest first, with cursor pagination.
func (h *Handlers) ListBerichten(ctx context.Context, req ListBerichtenRequestObject) (ListBerichtenResponseObject, error) {
	id, err := inburgeraar(ctx)
	if err != nil {
		return nil, err
	}
	limit, after, err := pageParams(req.Params.Limit, req.Params.Cursor, app.ParseCursor)
	if err != nil {
		return nil, err
	}
	page, err := h.Service.Berichten(ctx, id, after, limit)
	if err != nil {
		return nil, err
	}
	body := BerichtenLijst{Berichten: []Bericht{}}
	l := h.localizer(ctx, id)
	for _, b := range page.Berichten {
		body.Berichten = append(body.Berichten, h.bericht(l, b))
	}
	headers := ListBerichten200ResponseHeaders{APIVersion: Version}
	if page.Next != nil {
		next := page.Next.String()
		body.Volgende = &next
		link := fmt.Sprintf(`</v2/mijn/berichten?cursor=%s&limit=%d>; rel="next"`, next, limit)
		headers.Link = &link
	}
	return ListBerichten200JSONResponse{Body: body, Headers: headers}, nil
}

// GetBericht returns one of the caller's messages; reading it through the API does not mark it read.
func (h *Handlers) GetBericht(ctx context.Context, req GetBerichtRequestObject) (GetBerichtResponseObject, error) {
	id, err := inburgeraar(ctx)
	if err != nil {
		return nil, err
	}
	b, err := h.Service.Bericht(ctx, id, int64(req.BerichtID))
	if err != nil {
		return nil, err
	}
	return GetBericht200JSONResponse{Body: h.bericht(h.localizer(ctx, id), b), Headers: GetBericht200ResponseHeaders{APIVersion: Version}}, nil
}

// UpdateBericht marks one of the caller's messages read or unread.
func (h *Handlers) UpdateBericht(ctx context.Context, req UpdateBerichtRequestObject) (UpdateBerichtResponseObject, error) {
	id, err := inburgeraar(ctx)
	if err != nil {
		return nil, err
	}
	b, err := h.Service.SetBerichtRead(ctx, id, int64(req.BerichtID), req.Body.Gelezen)
	if err != nil {
		return nil, err
	}
	return UpdateBericht200JSONResponse{Body: h.bericht(h.localizer(ctx, id), b), Headers: UpdateBericht200ResponseHeaders{APIVersion: Version}}, nil
}

func (h *Handlers) profiel(ctx context.Context, id int64) (Profiel, error) {
	p, err := h.Service.Profile(ctx, id)
	if err != nil {
		return Profiel{}, err
	}
	return Profiel{Naam: p.Name, Voorkeurstaal: p.PreferredLanguage}, nil
}

// GetProfiel returns the caller's name and preferred language.
func (h *Handlers) GetProfiel(ctx context.Context, _ GetProfielRequestObject) (GetProfielResponseObject, error) {
	id, err := inburgeraar(ctx)
	if err != nil {
		return nil, err
	}
	p, err := h.profiel(ctx, id)
	if err != nil {
		return nil, err
	}
	return GetProfiel200JSONResponse{Body: p, Headers: GetProfiel200ResponseHeaders{APIVersion: Version}}, nil
}

// UpdateProfiel sets the caller's preferred language, as the portal's language switcher does.
func (h *Handlers) UpdateProfiel(ctx context.Context, req UpdateProfielRequestObject) (UpdateProfielResponseObject, error) {
	id, err := inburgeraar(ctx)
	if err != nil {
		return nil, err
	}
	// The spec's enum lists the bundle's languages (TestVoorkeurstaalEnumIsTheBundle); this check
	// stays for a language dropped from the bundle before the spec.
	lang := string(req.Body.Voorkeurstaal)
	if _, ok := h.Bundle.Lookup(lang); !ok {
		return nil, domain.Invalid(domain.Violation{Field: "voorkeurstaal", MessageID: "error.language_unknown"})
	}
	if err := h.Service.SetLanguage(ctx, id, lang); err != nil {
		return nil, err
	}
	p, err := h.profiel(ctx, id)
	if err != nil {
		return nil, err
	}
	return UpdateProfiel200JSONResponse{Body: p, Headers: UpdateProfiel200ResponseHeaders{APIVersion: Version}}, nil
}

// pageParams reads a list's limit (default 20) and cursor, parsed by parse, from the query.
func pageParams[C any](limit *Limit, cursor *Cursor, parse func(string) (C, error)) (int, *C, error) {
	n := 20
	if limit != nil {
		n = *limit
	}
	if cursor == nil {
		return n, nil, nil
	}
	c, err := parse(*cursor)
	if err != nil {
		return 0, nil, err
	}
	return n, &c, nil
}
