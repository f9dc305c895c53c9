package api

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/inburgering/portal/internal/app"
	"github.com/inburgering/portal/internal/domain"
)

func (h *Handlers) tijdslot(ctx context.Context, s domain.Tijdslot) Tijdslot {
	t := Tijdslot{ID: s.ID, Soort: AfspraakSoort(s.Soort), Kanaal: Kanaal(s.Kanaal), Begintijd: s.Start.UTC(), Eindtijd: s.End().UTC(), VrijePlaatsen: s.Vrij()}
	if s.Kanaal == domain.KanaalKantoor {
		if k, err := h.Service.AfspraakConfig(ctx).Kantoor(s.Kantoor); err == nil {
			t.Kantoor = &Kantoor{Code: k.Code, Naam: k.Naam, Adres: k.Adres}
		}
	}
	return t
}

func (h *Handlers) afspraak(ctx context.Context, a domain.Afspraak) Afspraak {
	out := Afspraak{ID: a.ID, Kenmerk: a.Reference(), Soort: AfspraakSoort(a.Soort), Status: AfspraakStatus(a.Status),
		Tijdslot: h.tijdslot(ctx, a.Slot), WijzigenMogelijk: h.Service.AfspraakConfig(ctx).CheckChangeable(a, h.Service.Now()) == nil}
	if a.TolkTaal != "" {
		l := a.TolkTaal
		out.TolkTaal = &l
	}
	return out
}

// afspraakETag is the appointment's version as a strong entity tag.
func afspraakETag(a domain.Afspraak) string { return `"` + strconv.Itoa(a.Versie) + `"` }

// ListAfspraaktypen lists the kinds of appointment and whether the caller may book each.
func (h *Handlers) ListAfspraaktypen(ctx context.Context, _ ListAfspraaktypenRequestObject) (ListAfspraaktypenResponseObject, error) {
	id, err := inburgeraar(ctx)
	if err != nil {
		return nil, err
	}
	body := AfspraaktypenLijst{Afspraaktypen: []Afspraaktype{}}
	for _, t := range h.Service.AfspraakConfig(ctx).Types {
		may := h.Service.MayBookAfspraak(ctx, id, t.Soort)
		if may != nil && domain.ErrorKind(may) != domain.KindForbidden {
			return nil, may
		}
		at := Afspraaktype{Soort: AfspraakSoort(t.Soort), DuurInMinuten: int(t.Duur.Minutes()),
			AlleenMetVooraankondiging: t.Doelgroep == domain.DoelgroepVooraankondiging, MagBoeken: may == nil, Kanalen: []Kanaal{}}
		for _, k := range t.Kanalen {
			at.Kanalen = append(at.Kanalen, Kanaal(k))
		}
		body.Afspraaktypen = append(body.Afspraaktypen, at)
	}
	return ListAfspraaktypen200JSONResponse{Body: body, Headers: ListAfspraaktypen200ResponseHeaders{APIVersion: Version}}, nil
}

// ListTijdsloten lists the free slots of a kind, earliest first, with cursor pagination.
func (h *Handlers) ListTijdsloten(ctx context.Context, req ListTijdslotenRequestObject) (ListTijdslotenResponseObject, error) {
	if _, err := inburgeraar(ctx); err != nil {
		return nil, err
	}
	limit := 20
	if req.Params.Limit != nil {
		limit = int(*req.Params.Limit)
	}
	var after *app.SlotCursor
	if req.Params.Cursor != nil {
		cur, err := app.ParseSlotCursor(string(*req.Params.Cursor))
		if err != nil {
			return nil, err
		}
		after = &cur
	}
	var kanaal domain.AfspraakKanaal
	if req.Params.Kanaal != nil {
		kanaal = domain.AfspraakKanaal(*req.Params.Kanaal)
	}
	page, err := h.Service.FreeSlots(ctx, domain.AfspraakSoort(req.Soort), kanaal, after, limit)
	if err != nil {
		return nil, err
	}
	body := TijdslotenLijst{Tijdsloten: []Tijdslot{}}
	for _, s := range page.Slots {
		body.Tijdsloten = append(body.Tijdsloten, h.tijdslot(ctx, s))
	}
	headers := ListTijdsloten200ResponseHeaders{APIVersion: Version}
	if page.Next != nil {
		next := page.Next.String()
		body.Volgende = &next
		q := fmt.Sprintf("cursor=%s&limit=%d", next, limit)
		if kanaal != "" {
			q += "&kanaal=" + string(kanaal)
		}
		link := fmt.Sprintf(`</v2/afspraaktypen/%s/tijdsloten?%s>; rel="next"`, req.Soort, q)
		headers.Link = &link
	}
	return ListTijdsloten200JSONResponse{Body: body, Headers: headers}, nil
}

// ListAfspraken lists the caller's appointments, latest first, with cursor pagination.
func (h *Handlers) ListAfspraken(ctx context.Context, req ListAfsprakenRequestObject) (ListAfsprakenResponseObject, error) {
	id, err := inburgeraar(ctx)
	if err != nil {
		return nil, err
	}
	limit, after, err := pageParams(req.Params.Limit, req.Params.Cursor, app.ParseSlotCursor)
	if err != nil {
		return nil, err
	}
	page, err := h.Service.AfsprakenPaged(ctx, id, after, limit)
	if err != nil {
		return nil, err
	}
	body := AfsprakenLijst{Afspraken: []Afspraak{}}
	for _, a := range page.Afspraken {
		body.Afspraken = append(body.Afspraken, h.afspraak(ctx, a))
	}
	headers := ListAfspraken200ResponseHeaders{APIVersion: Version}
	if page.Next != nil {
		next := page.Next.String()
		body.Volgende = &next
		link := fmt.Sprintf(`</v2/mijn/afspraken?cursor=%s&limit=%d>; rel="next"`, next, limit)
		headers.Link = &link
	}
	return ListAfspraken200JSONResponse{Body: body, Headers: headers}, nil
}

// CreateAfspraak books an appointment; the Idempotency-Key makes a retry safe.
func (h *Handlers) CreateAfspraak(ctx context.Context, req CreateAfspraakRequestObject) (CreateAfspraakResponseObject, error) {
	id, err := inburgeraar(ctx)
	if err != nil {
		return nil, err
	}
	tolk := ""
	if req.Body.TolkTaal != nil {
		tolk = *req.Body.TolkTaal
	}
	a, replayed, err := h.Service.Book(ctx, id, app.Booking{Soort: domain.AfspraakSoort(req.Body.Soort), SlotID: req.Body.TijdslotID,
		TolkTaal: tolk, Key: "api:" + req.Params.IdempotencyKey, Channel: "api"})
	if err != nil {
		return nil, err
	}
	if replayed {
		// The same key with another request is refused (422, as Idempotency-Key does): a key
		// names one request. The Idempotency middleware answers this first; this covers a key
		// whose stored answer was released after a failure.
		if a.Soort != domain.AfspraakSoort(req.Body.Soort) || a.TolkTaal != tolk {
			return nil, domain.Errorf(domain.KindUnprocessable, "error.afspraak_key_reused")
		}
		return CreateAfspraak200JSONResponse{Body: h.afspraak(ctx, a), Headers: CreateAfspraak200ResponseHeaders{APIVersion: Version, ETag: afspraakETag(a)}}, nil
	}
	return CreateAfspraak201JSONResponse{Body: h.afspraak(ctx, a), Headers: CreateAfspraak201ResponseHeaders{
		APIVersion: Version, ETag: afspraakETag(a), Location: fmt.Sprintf("/v2/mijn/afspraken/%d", a.ID)}}, nil
}

// GetAfspraak returns one of the caller's appointments with its ETag.
func (h *Handlers) GetAfspraak(ctx context.Context, req GetAfspraakRequestObject) (GetAfspraakResponseObject, error) {
	id, err := inburgeraar(ctx)
	if err != nil {
		return nil, err
	}
	a, err := h.Service.Afspraak(ctx, id, int64(req.AfspraakID))
	if err != nil {
		return nil, err
	}
	return GetAfspraak200JSONResponse{Body: h.afspraak(ctx, a), Headers: GetAfspraak200ResponseHeaders{APIVersion: Version, ETag: afspraakETag(a)}}, nil
}

// UpdateAfspraak moves or cancels one of the caller's appointments; If-Match is required.
func (h *Handlers) UpdateAfspraak(ctx context.Context, req UpdateAfspraakRequestObject) (UpdateAfspraakResponseObject, error) {
	id, err := inburgeraar(ctx)
	if err != nil {
		return nil, err
	}
	move, cancel := req.Body.TijdslotID != nil, req.Body.Status != nil
	if move == cancel {
		return nil, domain.Invalid(domain.Violation{Field: "tijdslotId", MessageID: "error.afspraak_change_one"})
	}
	if req.Params.IfMatch == nil || strings.TrimSpace(*req.Params.IfMatch) == "" {
		return nil, domain.Errorf(domain.KindPreconditionRequired, "error.afspraak_version_required")
	}
	a, err := h.Service.Afspraak(ctx, id, int64(req.AfspraakID))
	if err != nil {
		return nil, err
	}
	stale := domain.Errorf(domain.KindPreconditionFailed, "error.afspraak_stale")
	if strings.TrimSpace(*req.Params.IfMatch) != afspraakETag(a) {
		return nil, stale
	}
	if move {
		a, err = h.Service.Move(ctx, id, a.ID, a.Versie, *req.Body.TijdslotID, "api")
	} else {
		a, err = h.Service.Cancel(ctx, id, a.ID, a.Versie, "api")
	}
	var de *domain.Error
	if errors.As(err, &de) && de.MessageID == "error.afspraak_changed" {
		return nil, stale // changed between the read and the write
	}
	if err != nil {
		return nil, err
	}
	return UpdateAfspraak200JSONResponse{Body: h.afspraak(ctx, a), Headers: UpdateAfspraak200ResponseHeaders{APIVersion: Version, ETag: afspraakETag(a)}}, nil
}
