package api

import (
	"context"
	"strings"

	"github.com/inburgering/portal/internal/app"
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
