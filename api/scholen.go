package api

import (
	"context"
	"fmt"
	"strings"

	openapi_types "github.com/oapi-codegen/runtime/types"

	"github.com/inburgering/portal/internal/app"
	"github.com/inburgering/portal/internal/domain"
)

// CreateToken is the token endpoint of language schools: client credentials with private_key_jwt.
func (h *Handlers) CreateToken(ctx context.Context, req CreateTokenRequestObject) (CreateTokenResponseObject, error) {
	r := app.TokenRequest{
		GrantType: string(req.Body.GrantType), ClientAssertionType: string(req.Body.ClientAssertionType),
		ClientAssertion: req.Body.ClientAssertion,
	}
	if req.Body.ClientID != nil {
		r.ClientID = *req.Body.ClientID
	}
	if req.Body.Scope != nil {
		r.Scope = *req.Body.Scope
	}
	tok, err := h.Service.IssueSchoolToken(ctx, r)
	if err != nil {
		return nil, err
	}
	scopes := make([]string, len(tok.Scopes))
	for i, s := range tok.Scopes {
		scopes[i] = string(s)
	}
	return CreateToken200JSONResponse{
		Body: Toegangstoken{AccessToken: tok.AccessToken, TokenType: ToegangstokenTokenTypeBearer,
			ExpiresIn: int(tok.ExpiresIn.Seconds()), Scope: strings.Join(scopes, " ")},
		Headers: CreateToken200ResponseHeaders{APIVersion: Version},
	}, nil
}

func dateOf(d openapi_types.Date) domain.Date { return domain.DateOf(d.Time) }

func contract(c domain.Contract) Contract {
	return Contract{ID: c.ID, Bsn: string(c.BSN), Cursussoort: Cursussoort(c.CourseType), Startdatum: date(c.Start), Einddatum: date(c.End),
		IngekochteUren: c.PurchasedHours, AangemaaktOp: c.CreatedAt.UTC()}
}

func urenverklaring(d domain.Declaration) Urenverklaring {
	return Urenverklaring{ID: d.ID, Bsn: string(d.BSN), ContractID: d.ContractID, Cursussoort: Cursussoort(d.CourseType),
		PeriodeVan: date(d.PeriodStart), PeriodeTot: date(d.PeriodEnd), Uren: d.Hours, Status: UrenverklaringStatus(d.Status),
		TermijnTot: datep(d.Deadline), Vervalsing: d.Forgery, AangemaaktOp: d.CreatedAt.UTC()}
}

// declarationETag quotes a declaration's version as an entity tag.
func declarationETag(d domain.Declaration) string { return `"` + d.Version() + `"` }

// page reads cursor and limit of a list operation.
func page(cursor *Cursor, limit *Limit) (app.IDCursor, int, error) {
	n := 20
	if limit != nil {
		n = int(*limit)
	}
	var after app.IDCursor
	if cursor != nil {
		c, err := app.ParseIDCursor(string(*cursor))
		if err != nil {
			return 0, 0, err
		}
		after = c
	}
	return after, n, nil
}

// nextLink is the RFC 8288 link to the next page, and the cursor itself.
func nextLink(path string, next *app.IDCursor, limit int) (*string, *string) {
	if next == nil {
		return nil, nil
	}
	c := next.String()
	l := fmt.Sprintf(`</v2%s?cursor=%s&limit=%d>; rel="next"`, path, c, limit)
	return &l, &c
}

// ListContracten lists the school's contracts.
func (h *Handlers) ListContracten(ctx context.Context, req ListContractenRequestObject) (ListContractenResponseObject, error) {
	after, limit, err := page(req.Params.Cursor, req.Params.Limit)
	if err != nil {
		return nil, err
	}
	p, err := h.Service.Contracts(ctx, after, limit)
	if err != nil {
		return nil, err
	}
	body := ContractenLijst{Contracten: []Contract{}}
	for _, c := range p.Contracts {
		body.Contracten = append(body.Contracten, contract(c))
	}
	link, next := nextLink("/contracten", p.Next, limit)
	body.Volgende = next
	return ListContracten200JSONResponse{Body: body, Headers: ListContracten200ResponseHeaders{APIVersion: Version, Link: link}}, nil
}

// CreateContract records a contract of the school.
func (h *Handlers) CreateContract(ctx context.Context, req CreateContractRequestObject) (CreateContractResponseObject, error) {
	b := req.Body
	c, err := h.Service.CreateContract(ctx, app.NewContract{BSN: b.Bsn, CourseType: domain.CourseType(b.Cursussoort),
		Start: dateOf(b.Startdatum), End: dateOf(b.Einddatum), PurchasedHours: b.IngekochteUren})
	if err != nil {
		return nil, err
	}
	return CreateContract201JSONResponse{Body: contract(c), Headers: CreateContract201ResponseHeaders{APIVersion: Version}}, nil
}

// ListUrenverklaringen lists the school's hour declarations.
func (h *Handlers) ListUrenverklaringen(ctx context.Context, req ListUrenverklaringenRequestObject) (ListUrenverklaringenResponseObject, error) {
	body, link, err := h.declarations(ctx, "", "/urenverklaringen", req.Params.Cursor, req.Params.Limit)
	if err != nil {
		return nil, err
	}
	return ListUrenverklaringen200JSONResponse{Body: body, Headers: ListUrenverklaringen200ResponseHeaders{APIVersion: Version, Link: link}}, nil
}

// ListVerificatieverzoeken lists the declarations waiting for the school's answer.
func (h *Handlers) ListVerificatieverzoeken(ctx context.Context, req ListVerificatieverzoekenRequestObject) (ListVerificatieverzoekenResponseObject, error) {
	body, link, err := h.declarations(ctx, domain.DeclarationAskSchool, "/verificatieverzoeken", req.Params.Cursor, req.Params.Limit)
	if err != nil {
		return nil, err
	}
	return ListVerificatieverzoeken200JSONResponse{Body: body, Headers: ListVerificatieverzoeken200ResponseHeaders{APIVersion: Version, Link: link}}, nil
}

func (h *Handlers) declarations(ctx context.Context, status domain.DeclarationStatus, path string, cursor *Cursor, limit *Limit) (UrenverklaringenLijst, *string, error) {
	after, n, err := page(cursor, limit)
	if err != nil {
		return UrenverklaringenLijst{}, nil, err
	}
	p, err := h.Service.Declarations(ctx, status, after, n)
	if err != nil {
		return UrenverklaringenLijst{}, nil, err
	}
	body := UrenverklaringenLijst{Urenverklaringen: []Urenverklaring{}}
	for _, d := range p.Declarations {
		body.Urenverklaringen = append(body.Urenverklaringen, urenverklaring(d))
	}
	link, next := nextLink(path, p.Next, n)
	body.Volgende = next
	return body, link, nil
}

// CreateUrenverklaring submits an hour declaration.
func (h *Handlers) CreateUrenverklaring(ctx context.Context, req CreateUrenverklaringRequestObject) (CreateUrenverklaringResponseObject, error) {
	b := req.Body
	d, err := h.Service.Declare(ctx, app.NewDeclaration{BSN: b.Bsn, CourseType: domain.CourseType(b.Cursussoort),
		PeriodStart: dateOf(b.PeriodeVan), PeriodEnd: dateOf(b.PeriodeTot), Hours: b.Uren})
	if err != nil {
		return nil, err
	}
	return CreateUrenverklaring201JSONResponse{Body: urenverklaring(d), Headers: CreateUrenverklaring201ResponseHeaders{APIVersion: Version, ETag: declarationETag(d)}}, nil
}

// GetUrenverklaring returns one of the school's declarations.
func (h *Handlers) GetUrenverklaring(ctx context.Context, req GetUrenverklaringRequestObject) (GetUrenverklaringResponseObject, error) {
	d, err := h.Service.SchoolDeclaration(ctx, int64(req.UrenverklaringID))
	if err != nil {
		return nil, err
	}
	return GetUrenverklaring200JSONResponse{Body: urenverklaring(d), Headers: GetUrenverklaring200ResponseHeaders{APIVersion: Version, ETag: declarationETag(d)}}, nil
}

// CreateVerificatieantwoord records the school's answer to a verification request.
func (h *Handlers) CreateVerificatieantwoord(ctx context.Context, req CreateVerificatieantwoordRequestObject) (CreateVerificatieantwoordResponseObject, error) {
	ifMatch := ""
	if req.Params.IfMatch != nil {
		ifMatch = strings.Trim(strings.TrimSpace(string(*req.Params.IfMatch)), `"`)
	}
	d, err := h.Service.AnswerVerification(ctx, int64(req.UrenverklaringID), req.Body.Bevestigd, ifMatch)
	if err != nil {
		return nil, err
	}
	return CreateVerificatieantwoord201JSONResponse{Body: urenverklaring(d), Headers: CreateVerificatieantwoord201ResponseHeaders{APIVersion: Version, ETag: declarationETag(d)}}, nil
}

// CreateContractbestand stores a contract file, streamed, all or nothing.
func (h *Handlers) CreateContractbestand(ctx context.Context, req CreateContractbestandRequestObject) (CreateContractbestandResponseObject, error) {
	async := req.Params.Prefer != nil && preferAsync(string(*req.Params.Prefer))
	rows, file, err := h.Service.SubmitContractFile(ctx, req.Body, async)
	if err != nil {
		return nil, err
	}
	if file != nil {
		return CreateContractbestand202JSONResponse{Body: h.contractbestand(ctx, *file),
			Headers: CreateContractbestand202ResponseHeaders{APIVersion: Version, Location: contractbestandPath(file.ID)}}, nil
	}
	body := contractbestandResultaat(rows)
	return CreateContractbestand201JSONResponse{Body: body, Headers: CreateContractbestand201ResponseHeaders{APIVersion: Version}}, nil
}

// contractbestandResultaat is the result per row of a stored contract file.
func contractbestandResultaat(rows []app.ContractFileRow) ContractbestandResultaat {
	body := ContractbestandResultaat{Aantal: len(rows), Regels: []struct {
		ContractID int64 `json:"contractId"`
		Regel      int   `json:"regel"`
	}{}}
	for _, r := range rows {
		body.Regels = append(body.Regels, struct {
			ContractID int64 `json:"contractId"`
			Regel      int   `json:"regel"`
		}{r.ContractID, r.Row})
	}
	return body
}
