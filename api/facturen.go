package api

import (
	"context"
	"fmt"

	"github.com/inburgering/portal/internal/app"
	"github.com/inburgering/portal/internal/domain"
)

func schoolfactuur(inv domain.Invoice) Schoolfactuur {
	f := Schoolfactuur{
		ID: inv.ID, Kenmerk: inv.Reference(), School: inv.School, BedragInCenten: int64(inv.Amount),
		Factuurdatum: date(inv.Date), PeriodeStartdatum: date(inv.PeriodStart), PeriodeEinddatum: date(inv.PeriodEnd),
		Status: SchoolfactuurStatus(inv.Status), BesluitMogelijk: inv.Decidable(), TeltVoorLening: inv.CountsAgainstLoan(),
		BesluitOp: inv.DecidedAt, Betaaldatum: datep(inv.PaidOn),
	}
	if inv.Reason != "" {
		r := inv.Reason
		f.Reden = &r
	}
	return f
}

// ListFacturen lists the caller's invoices, newest first, with cursor pagination.
func (h *Handlers) ListFacturen(ctx context.Context, req ListFacturenRequestObject) (ListFacturenResponseObject, error) {
	id, err := inburgeraar(ctx)
	if err != nil {
		return nil, err
	}
	limit, after, err := pageParams(req.Params.Limit, req.Params.Cursor, app.ParseInvoiceCursor)
	if err != nil {
		return nil, err
	}
	page, err := h.Service.Invoices(ctx, id, after, limit)
	if err != nil {
		return nil, err
	}
	body := FacturenLijst{Facturen: []Schoolfactuur{}}
	for _, inv := range page.Invoices {
		body.Facturen = append(body.Facturen, schoolfactuur(inv))
	}
	headers := ListFacturen200ResponseHeaders{APIVersion: Version}
	if page.Next != nil {
		next := page.Next.String()
		body.Volgende = &next
		link := fmt.Sprintf(`</v2/mijn/facturen?cursor=%s&limit=%d>; rel="next"`, next, limit)
		headers.Link = &link
	}
	return ListFacturen200JSONResponse{Body: body, Headers: headers}, nil
}

// GetFactuur returns one of the caller's invoices.
func (h *Handlers) GetFactuur(ctx context.Context, req GetFactuurRequestObject) (GetFactuurResponseObject, error) {
	id, err := inburgeraar(ctx)
	if err != nil {
		return nil, err
	}
	inv, err := h.Service.Invoice(ctx, id, int64(req.FactuurID))
	if err != nil {
		return nil, err
	}
	return GetFactuur200JSONResponse{Body: schoolfactuur(inv), Headers: GetFactuur200ResponseHeaders{APIVersion: Version}}, nil
}

// CreateFactuurBesluit accepts or rejects one of the caller's open invoices.
func (h *Handlers) CreateFactuurBesluit(ctx context.Context, req CreateFactuurBesluitRequestObject) (CreateFactuurBesluitResponseObject, error) {
	id, err := inburgeraar(ctx)
	if err != nil {
		return nil, err
	}
	reason := ""
	if req.Body.Reden != nil {
		reason = *req.Body.Reden
	}
	inv, err := h.Service.DecideInvoice(ctx, id, int64(req.FactuurID), domain.InvoiceDecision(req.Body.Besluit), reason, "api")
	if err != nil {
		return nil, err
	}
	return CreateFactuurBesluit201JSONResponse{Body: schoolfactuur(inv), Headers: CreateFactuurBesluit201ResponseHeaders{APIVersion: Version}}, nil
}
